using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Config;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Doctor.Analysis;
using Cdi.Doctor.Findings;
using Cdi.Doctor.Snapshot;
using Cdi.Kube.Models;

namespace Cdi.Doctor.Tests;

/// <summary>Seed 000 #2: the worker's typed result (its termination message) decides the finding, not its log text.</summary>
public sealed class WorkerFailureTests
{
    [Theory]
    [InlineData("docker://registry.example.com:5000/vm/disk:1", ImporterFailureReason.SourceUnavailable,
        "TLS verification of registry registry.example.com:5000 failed (The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot): give its CA",
        "registry-tls-untrusted", "kubectl create configmap disk-registry-ca -n vms --from-file=ca.crt=CA.pem")]
    [InlineData("docker://registry.example.com:5000/vm/disk:1", ImporterFailureReason.SourceUnavailable,
        "TLS verification of registry registry.example.com:5000 failed (Cannot determine the frame size or a corrupted frame was received.): give its CA",
        "registry-not-insecure-listed", "kubectl patch cdiconfig config --type merge -p '{\"spec\":{\"insecureRegistries\":[\"old.example.com\",\"registry.example.com:5000\"]}}'")]
    [InlineData("docker://registry.example.com:5000/vm/disk:1", ImporterFailureReason.CertificateRejected,
        "TLS verification of registry registry.example.com:5000 failed (The remote certificate is invalid because of errors in the certificate chain: UntrustedRoot): give its CA",
        "registry-tls-untrusted", "kubectl create configmap disk-registry-ca -n vms --from-file=ca.crt=CA.pem")]
    [InlineData("docker://registry.example.com:5000/vm/disk:1", ImporterFailureReason.CertificateRejected,
        "TLS verification of registry registry.example.com:5000 failed (Cannot determine the frame size or a corrupted frame was received.): give its CA",
        "registry-not-insecure-listed", "kubectl patch cdiconfig config --type merge -p '{\"spec\":{\"insecureRegistries\":[\"old.example.com\",\"registry.example.com:5000\"]}}'")]
    [InlineData("docker://registry.example.com:5000/vm/disk:1", ImporterFailureReason.SourceUnavailable,
        "cannot reach registry registry.example.com:5000: Connection refused", "registry-unreachable", "https://registry.example.com:5000/v2/")]
    [InlineData("docker://registry.example.com:5000/vm/disk:1", ImporterFailureReason.SourceUnauthorized,
        "registry registry.example.com:5000 answered HTTP 401 for manifest vm/disk:1: the registry refused the credentials", "registry-auth-failed",
        "kubectl create secret generic disk-registry -n vms --from-literal=accessKeyId=USER")]
    [InlineData("docker://registry.example.com:5000/vm/disk:1", ImporterFailureReason.SourceNotFound,
        "manifest vm/disk:1 not found in registry registry.example.com:5000", "image-not-found", "skopeo inspect docker://registry.example.com:5000/vm/disk:1")]
    [InlineData("docker://registry.example.com:5000/vm/disk:1", ImporterFailureReason.ContainerDiskInvalid,
        "the image has no disk/ directory", "image-rejected", "qemu-img convert")]
    [InlineData("http://images.example.com/disk.qcow2", ImporterFailureReason.BackingFileNotAllowed,
        "qcow2 image names a backing file", "image-rejected", "qemu-img convert")]
    [InlineData("http://images.example.com/disk.qcow2", ImporterFailureReason.ChecksumMismatch,
        "checksum mismatch: expected sha256:00 got sha256:ff", "checksum-mismatch", "curl -sSL http://images.example.com/disk.qcow2 | sha256sum")]
    [InlineData("http://images.example.com/disk.qcow2", ImporterFailureReason.SourceUnavailable,
        "cannot reach http://images.example.com/disk.qcow2: Connection refused", "source-unreachable", "curl -sS -o /dev/null")]
    [InlineData("http://images.example.com/disk.qcow2", ImporterFailureReason.TargetError,
        "no space left on device", "import-failed", "kubectl describe dv disk -n vms")]
    public void Failed_worker_result_is_classified_by_its_typed_reason(string url, ImporterFailureReason reason, string message, string id, string remedy)
    {
        var finding = Examiner.Examine(FailedImport(url, reason, message)).Should().ContainSingle().Subject;
        finding.Id.Should().Be(id);
        finding.Object.Should().Be(new ObjectRef("DataVolume", "vms", "disk"));
        finding.Severity.Should().Be(Severity.Error);
        finding.Remedy.Should().Contain(remedy);
        // The worker's own words, verbatim.
        finding.Evidence[0].Should().Contain($"reason={reason}").And.Contain(message);
    }

    [Fact]
    public void Retrying_import_is_read_from_the_running_condition_when_the_pod_is_gone_and_is_a_warning()
    {
        var snapshot = FailedImport("http://images.example.com/disk.qcow2", ImporterFailureReason.SourceUnavailable, "cannot reach it");
        var dv = snapshot.DataVolumes[0];
        var retrying = snapshot with
        {
            Pods = [],
            DataVolumes = [dv with { Status = new DataVolumeStatus
            {
                Phase = DataVolumePhase.ImportInProgress, ClaimName = "disk", RestartCount = 2,
                Conditions = [new() { Type = "Running", Status = "False", Reason = "SourceUnavailable", Message = "cannot reach it" }],
            } }],
        };
        var finding = Examiner.Examine(retrying).Should().ContainSingle().Subject;
        finding.Id.Should().Be(FindingIds.SourceUnreachable);
        finding.Severity.Should().Be(Severity.Warning);
        finding.Evidence.Should().Contain("status.restartCount: 2");
    }

    [Fact]
    public void A_running_worker_retrying_its_source_is_read_from_its_log()
    {
        var snapshot = FailedImport("http://images.example.com/disk.qcow2", ImporterFailureReason.SourceUnavailable, "x");
        var pod = snapshot.Pods[0];
        var running = snapshot with
        {
            Pods = [pod with { Status = new PodStatus { Phase = "Running" } }],
            DataVolumes = [snapshot.DataVolumes[0] with { Status = new DataVolumeStatus { Phase = DataVolumePhase.ImportInProgress, ClaimName = "disk" } }],
            WorkerLogs = new Dictionary<string, string>
            {
                ["vms/importer-disk"] = "warning: cannot reach http://images.example.com/disk.qcow2: Connection refused; retrying in 3.2 s\n",
            },
        };
        var finding = Examiner.Examine(running).Should().ContainSingle().Subject;
        finding.Id.Should().Be(FindingIds.SourceUnreachable);
        finding.Severity.Should().Be(Severity.Warning);
        finding.Evidence[0].Should().StartWith("pod/importer-disk log: warning: cannot reach");
    }

    [Fact]
    public void A_succeeded_import_has_no_finding()
    {
        var snapshot = FailedImport("http://images.example.com/disk.qcow2", ImporterFailureReason.SourceUnavailable, "x");
        var done = snapshot with
        {
            DataVolumes = [snapshot.DataVolumes[0] with { Status = new DataVolumeStatus { Phase = DataVolumePhase.Succeeded, ClaimName = "disk" } }],
        };
        Examiner.Examine(done).Should().BeEmpty();
    }

    private static ClusterSnapshot FailedImport(string url, ImporterFailureReason reason, string message)
    {
        var registry = url.StartsWith("docker://", StringComparison.Ordinal);
        var result = new ImporterResult { Version = 1, Succeeded = false, Reason = reason, Message = message, Retryable = false };
        return new ClusterSnapshot
        {
            StorageClasses = [new StorageClass
            {
                Metadata = new() { Name = "local", Annotations = new() { ["storageclass.kubernetes.io/is-default-class"] = "true" } },
                Provisioner = "cdi.local/hostpath",
            }],
            CdiConfig = new CdiConfig { Metadata = new() { Name = "config" }, Spec = new() { InsecureRegistries = ["old.example.com"] } },
            DataVolumes = [new DataVolume
            {
                Metadata = new() { Name = "disk", Namespace = "vms" },
                Spec = new() { Source = registry ? new() { Registry = new() { Url = url } } : new() { Http = new() { Url = url } } },
                Status = new() { Phase = DataVolumePhase.Failed, ClaimName = "disk" },
            }],
            Claims = [new PersistentVolumeClaim { Metadata = new() { Name = "disk", Namespace = "vms" }, Status = new() { Phase = "Bound" } }],
            Pods = [new Pod
            {
                Metadata = new() { Name = "importer-disk", Namespace = "vms", Labels = new() { ["app"] = "containerized-data-importer" } },
                Status = new PodStatus
                {
                    Phase = "Failed",
                    ContainerStatuses = [new ContainerStatus
                    {
                        Name = "importer",
                        State = new ContainerState { Terminated = new ContainerStateTerminated { ExitCode = 1, Message = JsonSerializer.Serialize(result, ApiJsonContext.Default.ImporterResult) } },
                    }],
                },
            }],
        };
    }
}
