using Cdi.Controller.DataVolumes;
using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;
using Cdi.Doctor.Workers;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Rules;

/// <summary>Seed 000 #2 and seed 003: a pod waiting in ErrImagePull/ImagePullBackOff, and why the pull fails.</summary>
public sealed class ImagePullRule : IDoctorRule
{
    private static readonly string[] PullReasons = ["ErrImagePull", "ImagePullBackOff", "InvalidImageName"];

    public IEnumerable<Finding> Check(SnapshotIndex index)
    {
        foreach (var pod in index.Snapshot.Pods.Where(p => p.Status?.Phase is null or "Pending"))
        {
            var waiting = (pod.Status?.ContainerStatuses ?? []).FirstOrDefault(c => PullReasons.Contains(c.State?.Waiting?.Reason));
            var events = index.EventsFor(pod.Metadata.Namespace, pod.Metadata.Name, "Pod")
                .Where(e => e.Type == "Warning" && (e.Reason is "Failed" or "ErrImagePull" or "ImagePullBackOff")
                    && e.Message?.Contains("pull", StringComparison.OrdinalIgnoreCase) == true)
                .Take(2).ToList();
            if (waiting is null && events.Count == 0)
            {
                continue;
            }
            var image = waiting?.Image ?? pod.Spec?.Containers.FirstOrDefault()?.Image ?? "";
            var message = string.Join("\n", events.Select(e => e.Message).Prepend(waiting?.State?.Waiting?.Message));
            var worker = IsWorker(pod);
            if (ImagePullClassifier.Classify(image, message, worker) is not { } diagnosis)
            {
                continue;
            }
            List<string> evidence = [];
            if (waiting is not null) evidence.Add($"container {waiting.Name} waiting reason={waiting.State!.Waiting!.Reason}: {Evidence.OneLine(waiting.State.Waiting.Message)}");
            evidence.AddRange(events.Select(Evidence.Of));
            yield return new Finding
            {
                Id = diagnosis.Id,
                Severity = Severity.Error,
                Object = PodEvents.Ref(pod),
                Summary = diagnosis.Summary,
                Evidence = evidence,
                Remedy = diagnosis.Remedy,
                DataVolume = index.DataVolumeOf(pod.Metadata.Namespace, pod.Metadata.Name),
            };
        }
    }

    private static bool IsWorker(Pod pod) => pod.Metadata.Labels?.GetValueOrDefault(Annotations.AppLabel) == Annotations.AppLabelValue;
}
