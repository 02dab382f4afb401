using System.Text.Json;
using System.Text.Json.Serialization;

namespace CrmEngine.GraphQL.Execution.Writing;

/// <summary>A part of the response already written as JSON (UTF-8); the response serializer copies it as is.</summary>
public sealed class JsonFragment(byte[] utf8)
{
    public ReadOnlyMemory<byte> Utf8 { get; } = utf8;

    public override string ToString() => System.Text.Encoding.UTF8.GetString(Utf8.Span);
}

/// <summary>Writes <see cref="JsonFragment"/>s into the response unchanged (they were written with the response's own encoder).</summary>
public sealed class JsonFragmentConverter : JsonConverter<JsonFragment>
{
    public override JsonFragment Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Response fragments are only written.");

    public override void Write(Utf8JsonWriter writer, JsonFragment value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
}
