using System.Security.Cryptography;
using Cdi.Cluster.ApiServer;
using Cdi.Cluster.Authorization;
using Cdi.Cluster.Storage;

namespace Cdi.Cluster.Validation;

/// <summary>The validators a write passes, stage by stage (<see cref="AdmissionStage"/>); all of a stage run, and their errors are answered together as one 422.</summary>
internal sealed class AdmissionChain(IReadOnlyList<IAdmissionValidator> validators)
{
    /// <summary>The chain the API server uses: generic object validation, then kind-specific admission.</summary>
    /// <param name="authorizer">Answers cross-namespace clone checks; every request is allowed without one.</param>
    /// <param name="cloneSigner">Signs clone tokens; without it no cross-namespace clone gets one (the controller refuses those).</param>
    public static AdmissionChain Default(IAuthorizer? authorizer = null, ECDsa? cloneSigner = null, TimeProvider? clock = null) =>
        new([new ObjectValidator(), new Admission.QuantityAdmission(),
            new Admission.DataVolumeAdmission(authorizer ?? new AllowAllAuthorizer(), cloneSigner, clock ?? TimeProvider.System),
            Admission.CdiConfigAdmission.Create()]);

    public void Admit(AdmissionRequest request, AdmissionStage stage)
    {
        var errors = validators.Where(v => v.Stage == stage).SelectMany(v => v.Validate(request)).ToList();
        if (errors.Count > 0)
        {
            throw ApiErrors.Invalid(request.Definition, ObjectMeta.Name(request.Object), errors);
        }
        foreach (var stamp in validators.OfType<IAdmissionStamp>().Where(s => s.Stage == stage))
        {
            stamp.Stamp(request);
        }
    }
}
