using System.Collections;
using System.Globalization;
using System.Text.Json;
using CrmEngine.Sdk.Records;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace CrmEngine.Rules.Scripting;

/// <summary>
/// Moves values between the engine and scripts. Scripts see plain JavaScript: text as strings,
/// numbers as numbers, date-times as Date, dates as "yyyy-MM-dd", money as { amount, currency },
/// multi-picklists as arrays, lookups and ids as UUID strings. Back from scripts come plain CLR
/// values (string, long, double, bool, DateTime, lists, dictionaries) that the pipeline normalizes
/// like any other input.
/// </summary>
internal static class JsConvert
{
    private const int MaxDepth = 32;

    public static JsValue ToJs(JsEngine engine, object? value, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "The value is nested too deeply.");
        }

        switch (value)
        {
            case null:
                return JsValue.Null;
            case JsValue js:
                return js;
            case string s:
                return new JsString(s);
            case bool b:
                return b ? JsBoolean.True : JsBoolean.False;
            case long or int or short or byte or double or float or decimal:
                return new JsNumber(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case Guid id:
                return new JsString(id.ToString());
            case DateTime instant:
                return new JsDate(engine, new DateTimeOffset(DateTime.SpecifyKind(instant, DateTimeKind.Utc)));
            case DateTimeOffset offset:
                return new JsDate(engine, offset);
            case DateOnly date:
                return new JsString(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            case Money money:
                var amount = new JsObject(engine);
                amount.Set("amount", new JsNumber((double)money.Amount));
                amount.Set("currency", new JsString(money.Currency));
                return amount;
            case JsonElement json:
                return ToJs(engine, Unwrap(json), depth);
            case IReadOnlyDictionary<string, object?> map:
                var obj = new JsObject(engine);
                foreach (var (key, item) in map)
                {
                    obj.Set(key, ToJs(engine, item, depth + 1));
                }

                return obj;
            case IEnumerable list:
                var items = new List<JsValue>();
                foreach (var item in list)
                {
                    items.Add(ToJs(engine, item, depth + 1));
                }

                return new JsArray(engine, items.ToArray());
            default:
                return new JsString(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty);
        }
    }

    /// <summary>A script value as a plain CLR value; functions and symbols are refused with a TypeError.</summary>
    public static object? ToClr(JsEngine engine, JsValue value, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new JavaScriptException(engine.Intrinsics.TypeError, "The value is nested too deeply.");
        }

        if (value.IsNull() || value.IsUndefined())
        {
            return null;
        }

        if (value.IsString())
        {
            return value.AsString();
        }

        if (value.IsBoolean())
        {
            return value.AsBoolean();
        }

        if (value.IsNumber())
        {
            var number = value.AsNumber();
            return Math.Abs(number) < 9.007199254740992E15 && number == Math.Floor(number) ? (long)number : (object)number;
        }

        if (value is JsDate date)
        {
            if (double.IsNaN(date.DateValue))
            {
                throw new JavaScriptException(engine.Intrinsics.TypeError, "An invalid Date can't be stored.");
            }

            return DateTimeOffset.FromUnixTimeMilliseconds((long)date.DateValue).UtcDateTime;
        }

        if (value is JsArray array)
        {
            var list = new List<object?>();
            var length = array.Length;
            for (uint i = 0; i < length; i++)
            {
                list.Add(ToClr(engine, array.Get(i), depth + 1));
            }

            return list;
        }

        if (value is ObjectInstance obj && !value.IsCallable())
        {
            var map = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var key in obj.GetOwnPropertyKeys(Types.String))
            {
                var descriptor = obj.GetOwnProperty(key);
                if (descriptor.Enumerable)
                {
                    map[key.AsString()] = ToClr(engine, obj.Get(key), depth + 1);
                }
            }

            return map;
        }

        throw new JavaScriptException(engine.Intrinsics.TypeError, $"A {(value.IsObject() ? "function" : value.Type.ToString().ToLowerInvariant())} can't be stored in a record or passed to the engine.");
    }

    private static object? Unwrap(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.String => json.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number => json.TryGetInt64(out var l) ? l : json.GetDouble(),
        JsonValueKind.Array => json.EnumerateArray().Select(Unwrap).ToList(),
        JsonValueKind.Object => json.EnumerateObject().ToDictionary(p => p.Name, p => Unwrap(p.Value)),
        _ => null,
    };
}
