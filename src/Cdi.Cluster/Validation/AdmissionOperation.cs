namespace Cdi.Cluster.Validation;

/// <summary>The write being admitted (Kubernetes' admission operations; deletes are not validated).</summary>
internal enum AdmissionOperation
{
    Create,
    Update,
}
