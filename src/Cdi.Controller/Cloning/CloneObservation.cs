using Cdi.Kube.Models;

namespace Cdi.Controller.Cloning;

/// <summary>
/// What a clone's decision needs beyond the target's objects, read when the DataVolume clones a claim: the source claim
/// (null when it does not exist), the pods that use it now (other than clone sources, which only read it) and this
/// clone's source pod.
/// </summary>
public sealed record CloneObservation(PersistentVolumeClaim? Source, IReadOnlyList<string> SourceUsers, Pod? SourcePod);
