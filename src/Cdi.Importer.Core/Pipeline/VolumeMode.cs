namespace Cdi.Importer.Core.Pipeline;

public enum VolumeMode
{
    Filesystem,
    Block,
}
