using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Validation;

/// <summary>The validators a write passes, stage by stage (<see cref="AdmissionStage"/>); all of a stage run, and their errors are answered together as one 422.</summary>
internal sealed class AdmissionChain(IReadOnlyList<IAdmissionValidator> validators)
{
    /// <summary>The chain the API server uses: generic object validation, then kind-specific admission.</summary>
    public static AdmissionChain Default() => new([new ObjectValidator(), new Admission.QuantityAdmission(), new Admission.DataVolumeAdmission(), Admission.CdiConfigAdmission.Create()]);

    public void Admit(AdmissionRequest request, AdmissionStage stage)
    {
        var errors = validators.Where(v => v.Stage == stage).SelectMany(v => v.Validate(request)).ToList();
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(request.Definition, ObjectMeta.Name(request.Object), errors);
        }
    }
}
