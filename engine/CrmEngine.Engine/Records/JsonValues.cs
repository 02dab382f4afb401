using System.Text.Json;

namespace CrmEngine.Engine.Records;

/// <summary>
/// Writes a value as System.Text.Json's serializer writes it, the common kinds without a converter
/// lookup: responses and cursors write thousands of them per page.
/// </summary>
public static class JsonValues
{
    public static void Write(Utf8JsonWriter writer, object? value, JsonSerializerOptions? options = null)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case string text:
                writer.WriteStringValue(text);
                break;
            case bool flag:
                writer.WriteBooleanValue(flag);
                break;
            case int number:
                writer.WriteNumberValue(number);
                break;
            case long number:
                writer.WriteNumberValue(number);
                break;
            case decimal number:
                writer.WriteNumberValue(number);
                break;
            case double number when double.IsFinite(number):
                writer.WriteNumberValue(number);
                break;
            case DateTime instant:
                writer.WriteStringValue(instant);
                break;
            case Guid id:
                writer.WriteStringValue(id);
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType(), options);
                break;
        }
    }
}
