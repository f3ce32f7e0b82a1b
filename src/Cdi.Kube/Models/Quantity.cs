using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace Cdi.Kube.Models;

/// <summary>
/// A Kubernetes resource quantity (<c>resource.Quantity</c>): the one parser and formatter for the whole repository.
/// The grammar is Kubernetes': an optional sign, digits with an optional decimal point, then one suffix — binary
/// (<c>Ki Mi Gi Ti Pi Ei</c>), decimal (<c>n u m k M G T P E</c>) or a decimal exponent (<c>e3</c>, <c>E-2</c>).
/// The value is kept exactly in nano-units (finer precision is rounded up, as Kubernetes does), and
/// <see cref="ToString"/> writes the canonical form Kubernetes re-serializes to ("1024Mi" is "1Gi", "1000M" is "1G").
/// Equality and ordering compare values, not spellings.
/// </summary>
public readonly record struct Quantity : IComparable<Quantity>
{
    /// <summary>Longer text is refused before parsing, so hostile input cannot make the exact arithmetic expensive.</summary>
    public const int MaxLength = 64;

    // Exponents far beyond anything real (10^±64) are refused for the same reason.
    private const int MaxExponent = 64;

    private const int NanoDigits = 9;
    private static readonly BigInteger NanosPerUnit = BigInteger.Pow(10, NanoDigits);
    private static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    /// <summary>What a quantity looks like, for error messages.</summary>
    public const string Syntax =
        "use a number with an optional suffix: Ki, Mi, Gi, Ti, Pi, Ei (powers of 1024), n, u, m, k, M, G, T, P, E (powers of 1000) or a decimal exponent such as e9";

    private readonly BigInteger _nanos;

    private Quantity(BigInteger nanos, QuantityFormat format)
    {
        _nanos = nanos;
        Format = format;
    }

    public static Quantity Zero => default;

    /// <summary>The suffix family <see cref="ToString"/> writes with.</summary>
    public QuantityFormat Format { get; }

    public int Sign => _nanos.Sign;

    public bool IsZero => _nanos.IsZero;

    public static Quantity FromBytes(long bytes) => new(bytes * NanosPerUnit, QuantityFormat.BinarySI);

    /// <summary>A plain number (for example a quota sum), written with decimal suffixes unless a format is given.</summary>
    public static Quantity FromDecimal(decimal value, QuantityFormat format = QuantityFormat.DecimalSI)
    {
        var text = value.ToString(CultureInfo.InvariantCulture);
        return TryParseNumber(text, 0, out var nanos) ? new(nanos, format) : throw new OverflowException($"{value} is not a quantity");
    }

    public static Quantity Parse(string? text) =>
        TryParse(text, out var quantity, out var error) ? quantity : throw new FormatException(error);

    public static bool TryParse([NotNullWhen(true)] string? text, out Quantity quantity) => TryParse(text, out quantity, out _);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> is one line that names the text and the grammar.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out Quantity quantity, [NotNullWhen(false)] out string? error)
    {
        quantity = default;
        error = null;
        if (string.IsNullOrEmpty(text))
        {
            error = $"a quantity is required: {Syntax}";
            return false;
        }
        if (text.Length > MaxLength)
        {
            error = $"invalid quantity \"{text[..16]}…\": longer than {MaxLength} characters";
            return false;
        }
        var end = NumberEnd(text);
        if (end == 0 || !TrySuffix(text.AsSpan(end), out var exponent, out var binaryPower, out var format))
        {
            error = $"invalid quantity \"{text}\": {Syntax}";
            return false;
        }
        if (!TryParseNumber(text[..end], exponent, out var nanos))
        {
            error = $"invalid quantity \"{text}\": {Syntax}";
            return false;
        }
        quantity = new(nanos * BigInteger.Pow(1024, binaryPower), format);
        return true;
    }

    /// <summary>The value in whole units (bytes, for storage), rounded up as Kubernetes rounds storage requests.</summary>
    /// <exception cref="OverflowException">The value does not fit in a <see cref="long"/>.</exception>
    public long ToBytes()
    {
        var whole = BigInteger.DivRem(_nanos, NanosPerUnit, out var rest);
        if (rest.Sign > 0)
        {
            whole += 1;
        }
        return whole >= long.MinValue && whole <= long.MaxValue
            ? (long)whole
            : throw new OverflowException($"quantity {this} does not fit in 64 bits");
    }

    /// <summary>The exact value as a decimal (quota arithmetic); values beyond decimal's range throw.</summary>
    public decimal ToDecimal() => (decimal)_nanos / 1_000_000_000m;

    public int CompareTo(Quantity other) => _nanos.CompareTo(other._nanos);

    public bool Equals(Quantity other) => _nanos == other._nanos;

    public override int GetHashCode() => _nanos.GetHashCode();

    public static bool operator <(Quantity left, Quantity right) => left.CompareTo(right) < 0;

    public static bool operator >(Quantity left, Quantity right) => left.CompareTo(right) > 0;

    public static bool operator <=(Quantity left, Quantity right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Quantity left, Quantity right) => left.CompareTo(right) >= 0;

    /// <summary>The sum keeps the left operand's format, unless the left is zero (then it takes the right's), as Kubernetes' Add does.</summary>
    public static Quantity operator +(Quantity left, Quantity right) =>
        new(left._nanos + right._nanos, left.IsZero ? right.Format : left.Format);

    public Quantity Add(Quantity other) => this + other;

    /// <summary>The canonical form: what Kubernetes writes back for this value and format.</summary>
    public override string ToString()
    {
        if (_nanos.IsZero)
        {
            return "0";
        }
        var sign = _nanos.Sign < 0 ? "-" : "";
        var magnitude = BigInteger.Abs(_nanos);
        var format = Format;
        if (format == QuantityFormat.BinarySI
            && (magnitude < 1024 * NanosPerUnit || !BigInteger.Remainder(magnitude, NanosPerUnit).IsZero))
        {
            // Kubernetes writes small or fractional binary quantities with decimal suffixes instead of rounding them.
            format = QuantityFormat.DecimalSI;
        }
        if (format == QuantityFormat.BinarySI)
        {
            var units = magnitude / NanosPerUnit;
            var power = 0;
            while (power < BinarySuffixes.Length - 1 && BigInteger.Remainder(units, 1024).IsZero)
            {
                units /= 1024;
                power++;
            }
            return sign + units.ToString(CultureInfo.InvariantCulture) + BinarySuffixes[power];
        }
        // A mantissa and an exponent that is a multiple of three, as large as the value allows.
        var mantissa = magnitude;
        var exponent = -NanoDigits;
        var maxExponent = format == QuantityFormat.DecimalSI ? 18 : int.MaxValue;
        while (exponent < maxExponent && BigInteger.Remainder(mantissa, 1000).IsZero)
        {
            mantissa /= 1000;
            exponent += 3;
        }
        var digits = mantissa.ToString(CultureInfo.InvariantCulture);
        var suffix = format == QuantityFormat.DecimalExponent
            ? exponent == 0 ? "" : "e" + exponent.ToString(CultureInfo.InvariantCulture)
            : exponent switch
            {
                -9 => "n",
                -6 => "u",
                -3 => "m",
                0 => "",
                3 => "k",
                6 => "M",
                9 => "G",
                12 => "T",
                15 => "P",
                _ => "E",
            };
        return sign + digits + suffix;
    }

    /// <summary>Where the signed number ends: sign, digits, at most one point, at least one digit; 0 when there is none.</summary>
    private static int NumberEnd(string text)
    {
        var i = 0;
        if (text[0] is '+' or '-')
        {
            i++;
        }
        var digits = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]))
        {
            i++;
            digits++;
        }
        if (i < text.Length && text[i] == '.')
        {
            i++;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
                digits++;
            }
        }
        return digits == 0 ? 0 : i;
    }

    private static bool TrySuffix(ReadOnlySpan<char> suffix, out int exponent, out int binaryPower, out QuantityFormat format)
    {
        exponent = 0;
        binaryPower = 0;
        format = QuantityFormat.DecimalSI;
        switch (suffix)
        {
            case "": return true;
            case "n": exponent = -9; return true;
            case "u": exponent = -6; return true;
            case "m": exponent = -3; return true;
            case "k": exponent = 3; return true;
            case "M": exponent = 6; return true;
            case "G": exponent = 9; return true;
            case "T": exponent = 12; return true;
            case "P": exponent = 15; return true;
            case "E": exponent = 18; return true;
        }
        var binary = Array.IndexOf(BinarySuffixes, suffix.ToString());
        if (binary > 0)
        {
            binaryPower = binary;
            format = QuantityFormat.BinarySI;
            return true;
        }
        if (suffix.Length >= 2 && suffix[0] is 'e' or 'E')
        {
            var digits = suffix[1..];
            if (digits[0] is '+' or '-')
            {
                digits = digits[1..];
            }
            if (digits.Length is > 0 and <= 3 && !digits.ContainsAnyExceptInRange('0', '9')
                && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
                && Math.Abs(exponent) <= MaxExponent)
            {
                format = QuantityFormat.DecimalExponent;
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The number times 10^<paramref name="exponent"/>, in nano-units, rounded away from zero when finer than a nano.
    /// </summary>
    private static bool TryParseNumber(string number, int exponent, out BigInteger nanos)
    {
        nanos = default;
        var negative = number[0] == '-';
        var body = number[0] is '+' or '-' ? number[1..] : number;
        var point = body.IndexOf('.', StringComparison.Ordinal);
        var digits = new StringBuilder(body.Length);
        var fraction = 0;
        if (point < 0)
        {
            digits.Append(body);
        }
        else
        {
            digits.Append(body, 0, point).Append(body, point + 1, body.Length - point - 1);
            fraction = body.Length - point - 1;
        }
        if (digits.Length == 0 || !BigInteger.TryParse(digits.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var mantissa))
        {
            return false;
        }
        // value = mantissa * 10^(exponent - fraction); in nanos the power is shifted by nine.
        var shift = exponent - fraction + NanoDigits;
        if (shift >= 0)
        {
            nanos = mantissa * BigInteger.Pow(10, shift);
        }
        else
        {
            nanos = BigInteger.DivRem(mantissa, BigInteger.Pow(10, -shift), out var rest);
            if (!rest.IsZero)
            {
                nanos += 1;
            }
        }
        if (negative)
        {
            nanos = -nanos;
        }
        return true;
    }
}
