namespace Cdi.Cluster.Validation;

/// <summary>
/// When a validator runs, in kube-apiserver's order: the API's own object validation first, then (after defaulting
/// and a custom resource's schema) validating admission — where upstream CDI's DataVolume webhook sits. So a field the
/// schema refuses is answered with the schema's message, as on a real cluster.
/// </summary>
internal enum AdmissionStage
{
    ObjectValidation,
    ValidatingAdmission,
}
