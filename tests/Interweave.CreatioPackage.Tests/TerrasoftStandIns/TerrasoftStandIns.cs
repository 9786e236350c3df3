// Minimal stand-ins for the Creatio and WCF types UsrInterweaveService uses, so the service compiles and runs in
// tests. Only the members the service touches exist; their shapes follow Creatio's public API (CreatioSDK).
// Stand-ins: Terrasoft.Core.UserConnection (+ DBSecurityEngine), Terrasoft.Core.DB.DBSecurityEngine's
// GetCanExecuteOperation, GetIsEntitySchemaReadingAllowed and GetEntitySchemaRecordRightLevel (+ SchemaRecordRightLevels,
// whose numeric values here are ours: only the names are Creatio's), Terrasoft.Core.Configuration.SysSettings.GetValue,
// Terrasoft.Web.Common.BaseService.UserConnection, and the attributes ServiceContract, OperationContract,
// WebInvoke (+ WebMessageBodyStyle, WebMessageFormat), AspNetCompatibilityRequirements (+ its mode).
using System;
using System.Collections.Generic;

namespace Terrasoft.Core
{
	using Terrasoft.Core.DB;

	/// <summary>In Creatio: the user's session and database; here it carries the system settings and the user's rights.</summary>
	public class UserConnection
	{
		public Dictionary<string, object> SysSettingValues { get; } = new Dictionary<string, object>();

		public DBSecurityEngine DBSecurityEngine { get; } = new DBSecurityEngine();
	}
}

namespace Terrasoft.Core.DB
{
	[Flags]
	public enum SchemaRecordRightLevels { None = 0, CanRead = 1, CanEdit = 2, CanDelete = 4 }

	/// <summary>In Creatio: the current user's rights; here a test grants them. Nothing is granted by default.</summary>
	public class DBSecurityEngine
	{
		public HashSet<string> Operations { get; } = new HashSet<string>();

		public HashSet<string> ReadableSchemas { get; } = new HashSet<string>();

		public Dictionary<(string Schema, Guid Id), SchemaRecordRightLevels> RecordRights { get; } = new Dictionary<(string, Guid), SchemaRecordRightLevels>();

		public bool GetCanExecuteOperation(string operationCode) => Operations.Contains(operationCode);

		public bool GetIsEntitySchemaReadingAllowed(string schemaName) => ReadableSchemas.Contains(schemaName);

		public SchemaRecordRightLevels GetEntitySchemaRecordRightLevel(string schemaName, Guid primaryColumnValue) =>
			RecordRights.TryGetValue((schemaName, primaryColumnValue), out var level) ? level : SchemaRecordRightLevels.None;
	}
}

namespace Terrasoft.Core.Configuration
{
	using Terrasoft.Core;

	public static class SysSettings
	{
		public static object GetValue(UserConnection userConnection, string code, object defaultValue) =>
			userConnection.SysSettingValues.TryGetValue(code, out var value) ? value : defaultValue;
	}
}

namespace Terrasoft.Web.Common
{
	using Terrasoft.Core;

	public abstract class BaseService
	{
		public UserConnection UserConnection { get; set; } = new UserConnection();
	}
}

namespace System.ServiceModel
{
	[AttributeUsage(AttributeTargets.Class | AttributeTargets.Interface)]
	public sealed class ServiceContractAttribute : Attribute { }

	[AttributeUsage(AttributeTargets.Method)]
	public sealed class OperationContractAttribute : Attribute { }
}

namespace System.ServiceModel.Web
{
	public enum WebMessageBodyStyle { Bare, Wrapped, WrappedRequest, WrappedResponse }
	public enum WebMessageFormat { Xml, Json }

	[AttributeUsage(AttributeTargets.Method)]
	public sealed class WebInvokeAttribute : Attribute
	{
		public string Method { get; set; }
		public WebMessageBodyStyle BodyStyle { get; set; }
		public WebMessageFormat RequestFormat { get; set; }
		public WebMessageFormat ResponseFormat { get; set; }
	}
}

namespace System.ServiceModel.Activation
{
	public enum AspNetCompatibilityRequirementsMode { NotAllowed, Allowed, Required }

	[AttributeUsage(AttributeTargets.Class)]
	public sealed class AspNetCompatibilityRequirementsAttribute : Attribute
	{
		public AspNetCompatibilityRequirementsMode RequirementsMode { get; set; }
	}
}
