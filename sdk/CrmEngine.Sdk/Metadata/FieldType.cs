namespace CrmEngine.Sdk.Metadata;

/// <summary>The kinds of field an entity can have. Each maps to one or more typed columns.</summary>
public enum FieldType
{
    /// <summary>A single line of text (default maximum length 255).</summary>
    Text,

    /// <summary>Multi-line text (default maximum length 100,000).</summary>
    LongText,

    /// <summary>A 64-bit whole number.</summary>
    Integer,

    /// <summary>An exact decimal number, optionally limited to a number of decimal places.</summary>
    Decimal,

    /// <summary>An exact amount with an ISO 4217 currency code, stored as two columns.</summary>
    Money,

    /// <summary>True or false.</summary>
    Boolean,

    /// <summary>A calendar date without time of day.</summary>
    Date,

    /// <summary>An instant, stored in UTC.</summary>
    DateTime,

    /// <summary>An e-mail address, stored trimmed and in lower case.</summary>
    Email,

    /// <summary>A phone number (digits, spaces, +, -, parentheses).</summary>
    Phone,

    /// <summary>An absolute http or https URL.</summary>
    Url,

    /// <summary>One value chosen from the field's options.</summary>
    Picklist,

    /// <summary>Any number of values chosen from the field's options.</summary>
    MultiPicklist,

    /// <summary>A many-to-one reference to a record of another (or the same) entity.</summary>
    Lookup,

    /// <summary>A read-only number assigned on create from a format such as <c>QUO-{000000}</c>.</summary>
    AutoNumber,

    /// <summary>
    /// Files attached to the record (uploaded through the files service): a list of file ids, at most
    /// <c>max</c> of them when the definition sets it (1 for a single file).
    /// </summary>
    Attachment,

    /// <summary>
    /// A read-only count, sum, minimum, maximum or average over the records of another entity that
    /// point at this one through a lookup, kept up to date in the same transaction as their writes.
    /// </summary>
    Rollup,

    /// <summary>
    /// A read-only value computed by an expression over the record's fields and the fields of the
    /// records its lookups point at, kept up to date by every write of the record.
    /// </summary>
    Formula,
}
