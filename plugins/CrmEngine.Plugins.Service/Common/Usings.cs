global using CrmEngine.Sdk.Records;
global using FieldValues = System.Collections.Generic.Dictionary<string, object?>;
