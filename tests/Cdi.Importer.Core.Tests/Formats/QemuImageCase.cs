using Cdi.Importer.Core.Formats;

namespace Cdi.Importer.Core.Tests.Formats;

/// <summary>One image qemu-img can make: how to create it, whether qemu-io can write to it, and what it should be detected as.</summary>
public sealed record QemuImageCase(string Name, string QemuFormat, string Size, string Options, ImageFormat Expected, bool Writable)
{
    public override string ToString() => Name;

    public static IReadOnlyList<QemuImageCase> All { get; } =
    [
        new("qcow2-v2", "qcow2", "10M", "-o compat=0.10", ImageFormat.Qcow2, true),
        new("qcow2-v3", "qcow2", "100M", "", ImageFormat.Qcow2, true),
        new("qcow2-odd-size", "qcow2", "5000001", "", ImageFormat.Qcow2, true),
        new("qcow2-cluster-512", "qcow2", "3M", "-o cluster_size=512", ImageFormat.Qcow2, true),
        new("qcow2-cluster-2M", "qcow2", "5G", "-o cluster_size=2M", ImageFormat.Qcow2, true),
        new("qcow2-extended-l2", "qcow2", "1G", "-o extended_l2=on,cluster_size=128k", ImageFormat.Qcow2, true),
        new("qcow2-zstd", "qcow2", "64M", "-o compression_type=zstd", ImageFormat.Qcow2, true),
        new("qcow2-lazy-refcounts", "qcow2", "64M", "-o lazy_refcounts=on", ImageFormat.Qcow2, true),
        new("qcow2-preallocated-metadata", "qcow2", "64M", "-o preallocation=metadata", ImageFormat.Qcow2, true),
        new("qcow2-refcount-bits-1", "qcow2", "64M", "-o refcount_bits=1", ImageFormat.Qcow2, true),
        new("qcow2-refcount-bits-64", "qcow2", "64M", "-o refcount_bits=64", ImageFormat.Qcow2, true),
        new("vmdk-monolithic-sparse", "vmdk", "10M", "-o subformat=monolithicSparse", ImageFormat.Vmdk, true),
        new("vmdk-compat6-lsilogic", "vmdk", "64M", "-o compat6=on,adapter_type=lsilogic", ImageFormat.Vmdk, true),
        new("vmdk-hwversion-14", "vmdk", "64M", "-o hwversion=14", ImageFormat.Vmdk, true),
        new("vmdk-zeroed-grain", "vmdk", "64M", "-o zeroed_grain=on", ImageFormat.Vmdk, true),
        new("vmdk-monolithic-sparse-big", "vmdk", "20G", "-o subformat=monolithicSparse", ImageFormat.Vmdk, true),
        new("vhd-dynamic", "vpc", "10M", "-o subformat=dynamic", ImageFormat.Vhd, true),
        new("vhd-dynamic-odd", "vpc", "12345678", "-o subformat=dynamic", ImageFormat.Vhd, true),
        new("vhd-dynamic-big", "vpc", "300G", "-o subformat=dynamic", ImageFormat.Vhd, true),
        new("vhd-dynamic-force-size", "vpc", "12345678", "-o subformat=dynamic,force_size=on", ImageFormat.Vhd, true),
        new("vhdx-dynamic", "vhdx", "10M", "", ImageFormat.Vhdx, true),
        new("vhdx-big-blocks", "vhdx", "3G", "-o block_size=64M", ImageFormat.Vhdx, true),
        new("vhdx-small-blocks", "vhdx", "100M", "-o block_size=1M,log_size=1M", ImageFormat.Vhdx, true),
        new("vhdx-fixed", "vhdx", "64M", "-o subformat=fixed", ImageFormat.Vhdx, true),
        new("vhdx-block-state-not-zero", "vhdx", "64M", "-o block_state_zero=off", ImageFormat.Vhdx, true),
        new("vdi-dynamic", "vdi", "10M", "-o static=off", ImageFormat.Vdi, true),
        new("vdi-static", "vdi", "10M", "-o static=on", ImageFormat.Vdi, true),
        new("vdi-odd", "vdi", "5000000", "", ImageFormat.Vdi, true),
        new("vdi-odd-small", "vdi", "1234567", "", ImageFormat.Vdi, true),
    ];
}
