namespace Cdi.Cluster.Validation;

/// <summary>
/// A change an admission step makes to an object its stage admitted (CDI's webhook stamping a clone token once the
/// requester is authorized): run by <see cref="AdmissionChain"/> only after every validator of the stage passed, so
/// nothing is stamped on a refused write.
/// </summary>
internal interface IAdmissionStamp
{
    AdmissionStage Stage { get; }

    void Stamp(AdmissionRequest request);
}
