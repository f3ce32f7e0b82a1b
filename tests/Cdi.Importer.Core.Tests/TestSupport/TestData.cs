namespace Cdi.Importer.Core.Tests.TestSupport;

/// <summary>Deterministic disk-like payloads: incompressible runs mixed with long zero runs and repeated text.</summary>
public static class TestData
{
    public static byte[] DiskLike(int length, int seed = 42)
    {
        var data = new byte[length];
        var random = new Random(seed);
        int position = 0;
        while (position < length)
        {
            int run = Math.Min(length - position, random.Next(1, 96 * 1024));
            switch (random.Next(3))
            {
                case 0:
                    random.NextBytes(data.AsSpan(position, run));
                    break;
                case 1:
                    // already zero
                    break;
                default:
                    for (int i = 0; i < run; i++)
                    {
                        data[position + i] = (byte)"cdi test pattern "[i % 17];
                    }

                    break;
            }

            position += run;
        }

        return data;
    }
}
