using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Validation;

/// <summary>The validators a write passes, in order; all run, and their errors are answered together as one 422.</summary>
internal sealed class AdmissionChain(IReadOnlyList<IAdmissionValidator> validators)
{
    /// <summary>The chain the API server uses: generic object validation, then kind-specific admission.</summary>
    public static AdmissionChain Default() => new([new ObjectValidator(), new Admission.QuantityAdmission(), new Admission.DataVolumeAdmission()]);

    public void Admit(AdmissionRequest request)
    {
        var errors = validators.SelectMany(v => v.Validate(request)).ToList();
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(request.Definition, ObjectMeta.Name(request.Object), errors);
        }
    }
}
