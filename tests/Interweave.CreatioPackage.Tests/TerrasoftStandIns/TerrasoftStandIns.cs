// Minimal stand-ins for the Creatio and WCF types UsrInterweaveService uses, so the service compiles and runs in
// tests. Only the members the service touches exist; their shapes follow Creatio's public API (CreatioSDK).
// Stand-ins: Terrasoft.Core.UserConnection, Terrasoft.Core.Configuration.SysSettings.GetValue,
// Terrasoft.Web.Common.BaseService.UserConnection, and the attributes ServiceContract, OperationContract,
// WebInvoke (+ WebMessageBodyStyle, WebMessageFormat), AspNetCompatibilityRequirements (+ its mode).
using System;
using System.Collections.Generic;

namespace Terrasoft.Core
{
	/// <summary>In Creatio: the user's session and database; here it only carries the system settings.</summary>
	public class UserConnection
	{
		public Dictionary<string, object> SysSettingValues { get; } = new Dictionary<string, object>();
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
