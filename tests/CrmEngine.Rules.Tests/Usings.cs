global using CrmEngine.Rules.Tests.Support;
global using static CrmEngine.Rules.Tests.Support.TestEntities;
global using static CrmEngine.Testing.TestDefinitions;
