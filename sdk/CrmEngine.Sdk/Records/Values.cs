using System.Globalization;

namespace CrmEngine.Sdk.Records;

/// <summary>Conversions between the value types fields use.</summary>
public static class Values
{
    /// <summary>Converts a field value to <typeparamref name="T"/>, numeric widening included; default when null.</summary>
    public static T? Convert<T>(object? value)
    {
        if (value is null)
        {
            return default;
        }

        if (value is T typed)
        {
            return typed;
        }

        var target = Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T);
        return (T)System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture);
    }
}
