using Cdi.Cluster.ApiServer;

namespace Cdi.Cluster.Validation;

/// <summary>
/// A validating admission step: field errors for a write, none to admit it. <see cref="ApiServer.ObjectService"/> runs
/// every validator of its <see cref="AdmissionChain"/> before storing and answers 422 Invalid with all their errors.
/// Kind-specific admission (DataVolumes, say) plugs in here by checking <see cref="AdmissionRequest.Definition"/>.
/// </summary>
internal interface IAdmissionValidator
{
    AdmissionStage Stage { get; }

    IReadOnlyList<FieldError> Validate(AdmissionRequest request);
}
