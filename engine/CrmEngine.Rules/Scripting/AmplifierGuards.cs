using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Error;
using Jint.Native.Object;
using Jint.Runtime;
using Jint.Runtime.Descriptors;
using Jint.Runtime.Interop;

namespace CrmEngine.Rules.Scripting;

/// <summary>
/// Jint checks memory between statements, so one built-in call that builds a huge string from a
/// small input (<c>'x'.repeat(1e9)</c>) would allocate it in full before the limit is noticed.
/// These wrappers refuse such calls up front, with the RangeError JavaScript itself uses for
/// strings that are too long.
/// </summary>
internal static class AmplifierGuards
{
    public static void Install(JsEngine engine, RuleLimits limits)
    {
        // Strings are UTF-16: two bytes a character.
        var maxChars = Math.Max(1024, limits.MaxMemoryBytes / 2);
        // Taken before any script runs, so a script can't swap them out from under the guards.
        var rangeError = (ErrorConstructor)engine.Global.Get("RangeError");
        var strings = (ObjectInstance)engine.Global.Get("String").Get("prototype");
        Wrap(engine, rangeError, strings, "repeat", 1, maxChars, (text, args) => text.Length * Math.Max(0, Count(args, 0)));
        Wrap(engine, rangeError, strings, "padStart", 2, maxChars, (_, args) => Count(args, 0));
        Wrap(engine, rangeError, strings, "padEnd", 2, maxChars, (_, args) => Count(args, 0));

        var arrays = engine.Intrinsics.Array.PrototypeObject;
        var join = arrays.Get("join");
        Define(arrays, new ClrFunction(engine, "join", (thisObject, args) =>
        {
            if (JoinedLength(thisObject, args) > maxChars)
            {
                throw new JavaScriptException(rangeError, "Invalid string length: the joined string would exceed this rule's memory limit");
            }

            return engine.Call(join, thisObject, args);
        }, 1, PropertyFlag.Configurable));
    }

    private static void Wrap(JsEngine engine, ErrorConstructor rangeError, ObjectInstance prototype, string name, int length, long maxChars, Func<string, JsValue[], double> resultLength)
    {
        var original = prototype.Get(name);
        Define(prototype, new ClrFunction(engine, name, (thisObject, args) =>
        {
            // Convert once, so a `this` with a toString method runs it once, as the built-in would.
            var text = TypeConverter.ToString(thisObject);
            if (resultLength(text, args) > maxChars)
            {
                throw new JavaScriptException(rangeError, $"Invalid string length: {name} would exceed this rule's memory limit");
            }

            return engine.Call(original, text, args);
        }, length, PropertyFlag.Configurable));
    }

    private static void Define(ObjectInstance prototype, ClrFunction function) =>
        prototype.FastSetProperty(function.Get("name").AsString(), new PropertyDescriptor(function, PropertyFlag.NonEnumerable));

    private static double Count(JsValue[] args, int index) =>
        args.Length > index && args[index].IsNumber() ? args[index].AsNumber() : args.Length > index ? TypeConverter.ToNumber(args[index]) : 0;

    /// <summary>The length a join would produce, counted only for arrays of primitives (objects would run script to convert).</summary>
    private static double JoinedLength(JsValue thisObject, JsValue[] args)
    {
        if (thisObject is not JsArray array)
        {
            return 0;
        }

        var length = array.Length;
        var separator = args.Length > 0 && args[0].IsString() ? args[0].AsString().Length : 1;
        var total = length == 0 ? 0 : (length - 1) * (double)separator;
        for (uint i = 0; i < length; i++)
        {
            var item = array.Get(i);
            if (item.IsString())
            {
                total += item.AsString().Length;
            }
            else if (item.IsObject())
            {
                return 0;
            }
            else
            {
                total += 24;
            }
        }

        return total;
    }
}
