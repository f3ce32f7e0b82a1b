using System.Text.Json;
using Cdi.Api;
using Cdi.Api.Contracts;
using Cdi.Api.DataVolumes;
using Cdi.Api.Upload;
using Cdi.Controller.Cloning;
using Cdi.Controller.DataVolumes;
using Cdi.Controller.Importing;
using Cdi.Controller.Settings;
using Cdi.Controller.Storage;
using Cdi.Controller.Workers;
using Cdi.Kube.Models;

namespace Cdi.Controller.Uploading;

/// <summary>
/// Builds a claim's upload server pod (upstream's <c>cdi-upload-&lt;claim&gt;</c>): the cdi image in
/// <c>upload-server</c> mode, one typed <see cref="UploadServerSpec"/> whose importer section is what an importer pod of
/// the same DataVolume would get, the claim and a scratch claim (a converted format needs a seekable copy).
/// </summary>
public static class UploadPodFactory
{
    /// <param name="clone">Clone mode: the server takes only the controller's clone-stream token for this claim.</param>
    public static UploadServerSpec Spec(DataVolume dv, PersistentVolumeClaim claim, EffectiveSettings settings, ControllerOptions options, bool clone = false) => new()
    {
        Version = UploadServerSpec.CurrentVersion,
        Importer = ImporterPodFactory.Spec(dv, claim, withScratch: true, settings, options) with { Source = UploadServerSpec.UploadSource, AllowedNetworks = [], RawCopy = clone },
        Namespace = claim.Metadata.Namespace!,
        ClaimName = claim.Metadata.Name!,
        TokenPublicKey = clone ? CloneStreamTokens.PublicKey(options.CloneSigningKey!) : options.UploadTokenPublicKey ?? "",
        TokenOperation = clone ? UploadTokenClaims.CloneStreamOperation : UploadTokenClaims.UploadOperation,
    };

    public static Pod Create(DataVolume dv, PersistentVolumeClaim claim, PersistentVolumeClaim scratch, int attempt, ControllerOptions options, EffectiveSettings settings,
        bool clone = false)
    {
        var block = ClaimFactory.IsBlock(claim.Spec);
        var spec = Spec(dv, claim, settings, options, clone);
        var name = ResourceNames.UploadPod(claim.Metadata.Name!);
        return new WorkerPod
        {
            Name = name,
            Namespace = claim.Metadata.Namespace!,
            Role = Annotations.UploadServerRole,
            Subcommand = "upload-server",
            Spec = (UploadServerSpec.EnvironmentVariable, JsonSerializer.Serialize(spec, ApiJsonContext.Default.UploadServerSpec)),
            Owner = ClaimFactory.OwnedBy(claim),
            ExtraLabels = new() { ["service"] = name },
            Volumes =
            [
                new() { Name = "cdi-data-vol", PersistentVolumeClaim = new() { ClaimName = claim.Metadata.Name! } },
                new() { Name = "cdi-scratch-vol", PersistentVolumeClaim = new() { ClaimName = scratch.Metadata.Name! } },
            ],
            Mounts = block
                ? [new() { Name = "cdi-scratch-vol", MountPath = ImporterPodFactory.ScratchPath }]
                : [new() { Name = "cdi-data-vol", MountPath = ImporterPodFactory.DataPath }, new() { Name = "cdi-scratch-vol", MountPath = ImporterPodFactory.ScratchPath }],
            Devices = block ? [new() { Name = "cdi-data-vol", DevicePath = ImporterPodFactory.BlockPath }] : null,
        }.Build(dv, attempt, options, settings);
    }
}
