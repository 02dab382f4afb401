using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CrmEngine.Engine.Fields;
using CrmEngine.Engine.Metadata;
using CrmEngine.Engine.Records;
using CrmEngine.Engine.Records.Pipeline;
using CrmEngine.Sdk.Metadata;
using CrmEngine.Sdk.Records;

namespace CrmEngine.Webhooks.Delivery;

/// <summary>
/// The JSON body of a delivery: the event, the entity, the record's global id and version, when the
/// change committed, and the record as the API shows it to a tenant admin (field API names, lookups
/// as <c>{field}Id</c> global ids, money as <c>{ amount, currency }</c>, dates as ISO text). Only the
/// entity's current fields are sent: removed fields, which the API no longer shows, are left out.
/// </summary>
public static class WebhookPayload
{
    public static string Build(RecordEvent change, string eventName, RecordData? record)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("event", eventName);
            json.WriteString("entity", change.Entity);
            json.WriteString("id", GlobalId.Encode(change.Entity, change.RecordId));
            json.WriteNumber("version", change.Version);
            json.WriteString("occurredAt", change.At);
            json.WritePropertyName("data");
            if (record is null)
            {
                // Gone for good (purged) before the change was handled.
                json.WriteNullValue();
            }
            else
            {
                WriteRecord(json, record);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteRecord(Utf8JsonWriter json, RecordData record)
    {
        json.WriteStartObject();
        json.WriteString(SystemFields.Id, GlobalId.Encode(record.Entity.Name, record.Id));
        json.WriteNumber(SystemFields.Version, record.Version);
        json.WriteString(SystemFields.CreatedAt, record.CreatedAt);
        json.WriteString(SystemFields.UpdatedAt, record.UpdatedAt);
        WriteUser(json, SystemFields.CreatedBy, record.CreatedBy);
        WriteUser(json, SystemFields.UpdatedBy, record.UpdatedBy);
        WriteUser(json, SystemFields.OwnerId, record.OwnerId);
        json.WritePropertyName(SystemFields.DeletedAt);
        WriteValue(json, record.DeletedAt);
        foreach (var field in record.Entity.ActiveFields)
        {
            if (field.Type == FieldType.Lookup)
            {
                json.WritePropertyName(LookupKind.IdMemberName(field));
                WriteValue(json, record.Get(field) is Guid target ? GlobalId.Encode(field.LookupEntity!, target) : null);
                continue;
            }

            json.WritePropertyName(field.Name);
            WriteValue(json, record.Get(field));
        }

        json.WriteEndObject();
    }

    private static void WriteUser(Utf8JsonWriter json, string name, Guid? user)
    {
        json.WritePropertyName(name);
        WriteValue(json, user is { } id ? GlobalId.Encode(GlobalId.UserType, id) : null);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case DateTime instant:
                json.WriteStringValue(DateTime.SpecifyKind(instant, DateTimeKind.Utc));
                break;
            case DateOnly date:
                json.WriteStringValue(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case Money money:
                json.WriteStartObject();
                json.WriteNumber("amount", money.Amount);
                json.WriteString("currency", money.Currency);
                json.WriteEndObject();
                break;
            case IEnumerable list when value is not string:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                JsonValues.Write(json, value);
                break;
        }
    }
}
