namespace Terrasoft.Configuration
{
	using System;
	using System.Collections.Generic;
	using System.IO;
	using System.Net;
	using System.Net.Http;
	using System.Net.Http.Headers;
	using System.Runtime.Serialization;
	using System.Runtime.Serialization.Json;
	using System.ServiceModel;
	using System.ServiceModel.Activation;
	using System.ServiceModel.Web;
	using System.Text;
	using System.Threading.Tasks;
	using Terrasoft.Core;
	using Terrasoft.Core.Configuration;
	using Terrasoft.Web.Common;

	/// <summary>
	/// What the package's buttons call: reads the sidecar's address and API key from system settings on the server
	/// and forwards one record id to the sidecar. The browser never sees the key.
	/// URL: {site}/0/rest/UsrInterweaveService/{Method} (.NET Framework) or {site}/rest/... (.NET Core).
	/// Terrasoft types used, each as Creatio's own base code uses it (shiva01chh/CreatioDemoProject, Creatio 8.1.0.6704):
	/// BaseService, [ServiceContract] and [AspNetCompatibilityRequirements] as in Pkg/UsrRealtyFreedomUI/Schemas/UsrRealtyService
	/// and Packages/LandingiIntegration.gz: Schemas/ApiKeyProvider; BaseService.UserConnection and
	/// SysSettings.GetValue(UserConnection, code, default), SecureText included, as in Packages/LDAP.gz: Schemas/LDAPUtilities
	/// (line 157) and Packages/CrtMatomoConnector.gz: MatomoServiceFacade (line 32).
	/// </summary>
	[ServiceContract]
	[AspNetCompatibilityRequirements(RequirementsMode = AspNetCompatibilityRequirementsMode.Required)]
	public class UsrInterweaveService : BaseService
	{
		public const string SidecarUrlSetting = "UsrInterweaveSidecarUrl";
		public const string ApiKeySetting = "UsrInterweaveApiKey";

		[OperationContract]
		[WebInvoke(Method = "POST", BodyStyle = WebMessageBodyStyle.Wrapped,
			RequestFormat = WebMessageFormat.Json, ResponseFormat = WebMessageFormat.Json)]
		public InterweaveActionResult SendOpportunityToIntacct(Guid recordId) {
			return Run(client => client.SendOpportunityToIntacct(recordId));
		}

		[OperationContract]
		[WebInvoke(Method = "POST", BodyStyle = WebMessageBodyStyle.Wrapped,
			RequestFormat = WebMessageFormat.Json, ResponseFormat = WebMessageFormat.Json)]
		public InterweaveActionResult SyncAccountWithIntacct(Guid recordId) {
			return Run(client => client.SyncAccount(recordId));
		}

		[OperationContract]
		[WebInvoke(Method = "POST", BodyStyle = WebMessageBodyStyle.Wrapped,
			RequestFormat = WebMessageFormat.Json, ResponseFormat = WebMessageFormat.Json)]
		public InterweaveActionResult SyncProductWithIntacct(Guid recordId) {
			return Run(client => client.SyncProduct(recordId));
		}

		private InterweaveActionResult Run(Func<InterweaveSidecarClient, Task<InterweaveActionResult>> action) {
			var baseUrl = (string)SysSettings.GetValue(UserConnection, SidecarUrlSetting, string.Empty);
			var apiKey = (string)SysSettings.GetValue(UserConnection, ApiKeySetting, string.Empty);
			if (string.IsNullOrWhiteSpace(baseUrl) || string.IsNullOrWhiteSpace(apiKey)) {
				return InterweaveActionResult.Failed(
					"Interweave is not configured.",
					"Ask your administrator to set the system settings \"Interweave sidecar URL\" and \"Interweave API key\".");
			}
			using (var http = new HttpClient { Timeout = InterweaveSidecarClient.DefaultTimeout }) {
				var client = new InterweaveSidecarClient(http, baseUrl, apiKey);
				// ConfigureAwait(false) inside the client keeps this blocking wait free of the ASP.NET context.
				return action(client).GetAwaiter().GetResult();
			}
		}
	}

	/// <summary>The answer a button shows: success with the Intacct document or id, or a plain-words error.</summary>
	[DataContract]
	public class InterweaveActionResult
	{
		[DataMember(Name = "success")] public bool Success { get; set; }
		[DataMember(Name = "message")] public string Message { get; set; }
		[DataMember(Name = "correction")] public string Correction { get; set; }
		[DataMember(Name = "documentNumber")] public string DocumentNumber { get; set; }
		[DataMember(Name = "intacctId")] public string IntacctId { get; set; }
		/// <summary>The sidecar took the work and goes on with it; the record shows the outcome when it is done.</summary>
		[DataMember(Name = "pending")] public bool Pending { get; set; }

		public static InterweaveActionResult StillGoing(string message) {
			return new InterweaveActionResult { Success = true, Pending = true, Message = message };
		}

		public static InterweaveActionResult Failed(string message, string correction) {
			return new InterweaveActionResult { Success = false, Message = message, Correction = correction };
		}
	}

	/// <summary>
	/// Talks to the sidecar: builds each request (route, API key header, JSON body) and turns its answers, including
	/// RFC 7807 problem details with Intacct's error numbers and corrections, into <see cref="InterweaveActionResult"/>.
	/// Kept free of Creatio types so it can be tested outside Creatio.
	/// </summary>
	public class InterweaveSidecarClient
	{
		/// <summary>
		/// The longest a button's call may hold a Creatio server worker. Well under the 100 s HttpClient default and any
		/// browser or proxy limit, so the page always gets an answer it can show; a Send to Intacct that runs longer
		/// still completes in the sidecar, and a second click finds its document instead of making another.
		/// </summary>
		public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(25);

		private readonly HttpClient _http;
		private readonly string _baseUrl;
		private readonly string _apiKey;

		public InterweaveSidecarClient(HttpClient http, string baseUrl, string apiKey) {
			_http = http;
			_baseUrl = baseUrl.TrimEnd('/');
			_apiKey = apiKey;
		}

		public async Task<InterweaveActionResult> SendOpportunityToIntacct(Guid opportunityId) {
			var outcome = await PostAsync("api/opportunities/" + opportunityId.ToString("D") + "/send-to-intacct").ConfigureAwait(false);
			if (outcome.Failure != null) return outcome.Failure;
			if (outcome.Pending) return InterweaveActionResult.StillGoing(Read<PendingAnswer>(outcome.Body).Message);
			var sent = Read<SendToIntacctAnswer>(outcome.Body);
			return new InterweaveActionResult {
				Success = true,
				DocumentNumber = sent.DocumentNo,
				Message = (sent.Created ? "Sent to Intacct as " : "Already in Intacct as ") + sent.DocumentType + " " + sent.DocumentNo + "."
			};
		}

		public Task<InterweaveActionResult> SyncAccount(Guid accountId) {
			return SyncAsync("api/accounts/" + accountId.ToString("D") + "/sync", "customer");
		}

		public Task<InterweaveActionResult> SyncProduct(Guid productId) {
			return SyncAsync("api/products/" + productId.ToString("D") + "/sync", "item");
		}

		private async Task<InterweaveActionResult> SyncAsync(string path, string intacctObject) {
			var outcome = await PostAsync(path).ConfigureAwait(false);
			if (outcome.Failure != null) return outcome.Failure;
			if (outcome.Pending) return InterweaveActionResult.StillGoing(Read<PendingAnswer>(outcome.Body).Message);
			var synced = Read<SyncAnswer>(outcome.Body);
			return new InterweaveActionResult {
				Success = true,
				IntacctId = synced.IntacctId,
				Message = (synced.Created ? "Created Intacct " : "Synced with Intacct ") + intacctObject + " " + synced.IntacctId + "."
			};
		}

		private async Task<Outcome> PostAsync(string path) {
			var request = new HttpRequestMessage(HttpMethod.Post, _baseUrl + "/" + path);
			request.Headers.Add("X-Api-Key", _apiKey);
			request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
			request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
			HttpResponseMessage response;
			try {
				response = await _http.SendAsync(request).ConfigureAwait(false);
			} catch (TaskCanceledException) {
				return Outcome.Failed(InterweaveActionResult.Failed(
					"Interweave did not answer in time.",
					"The request may still complete: look at the record again in a minute before trying again."));
			} catch (HttpRequestException) {
				return Outcome.Failed(InterweaveActionResult.Failed(
					"Interweave could not be reached.",
					"Check the system setting \"Interweave sidecar URL\" and that the sidecar is running."));
			}
			using (response) {
				var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
				// 202: the sidecar's answer deadline came before the work was done; the work goes on there.
				if (response.StatusCode == HttpStatusCode.Accepted) return Outcome.StillGoing(body);
				if (response.IsSuccessStatusCode) return Outcome.Succeeded(body);
				return Outcome.Failed(MapProblem(response.StatusCode, body));
			}
		}

		/// <summary>Problem details into the words a user reads; Intacct's own correction wins over our hint.</summary>
		public static InterweaveActionResult MapProblem(HttpStatusCode status, string body) {
			if (status == HttpStatusCode.Unauthorized || status == HttpStatusCode.Forbidden) {
				return InterweaveActionResult.Failed(
					"Interweave refused the API key.",
					"Ask your administrator to create a 'creatio' key on the sidecar and put it in the system setting \"Interweave API key\".");
			}
			var problem = TryRead<ProblemAnswer>(body);
			if (problem == null || (string.IsNullOrWhiteSpace(problem.Title) && string.IsNullOrWhiteSpace(problem.Detail))) {
				return InterweaveActionResult.Failed("Interweave answered with an error (HTTP " + (int)status + ").", null);
			}
			var message = string.IsNullOrWhiteSpace(problem.Detail) ? problem.Title
				: string.IsNullOrWhiteSpace(problem.Title) ? problem.Detail
				: problem.Title + " " + problem.Detail;
			var intacctErrors = new List<string>();
			string correction = null;
			foreach (var error in problem.IntacctErrors ?? new IntacctErrorAnswer[0]) {
				if (!string.IsNullOrWhiteSpace(error.ErrorNo)) intacctErrors.Add(error.ErrorNo);
				if (correction == null && !string.IsNullOrWhiteSpace(error.Correction)) correction = error.Correction;
			}
			if (intacctErrors.Count > 0) message += " (Intacct error " + string.Join(", ", intacctErrors) + ")";
			return InterweaveActionResult.Failed(message, correction ?? problem.Hint);
		}

		private static T Read<T>(string json) where T : class {
			var value = TryRead<T>(json);
			if (value == null) throw new InvalidDataException("Interweave answered with a body that is not the expected JSON.");
			return value;
		}

		private static T TryRead<T>(string json) where T : class {
			if (string.IsNullOrWhiteSpace(json)) return null;
			try {
				using (var stream = new MemoryStream(Encoding.UTF8.GetBytes(json))) {
					return (T)new DataContractJsonSerializer(typeof(T)).ReadObject(stream);
				}
			} catch (SerializationException) {
				return null;
			}
		}

		private sealed class Outcome
		{
			public string Body { get; private set; }
			public bool Pending { get; private set; }
			public InterweaveActionResult Failure { get; private set; }
			public static Outcome Succeeded(string body) { return new Outcome { Body = body }; }
			public static Outcome StillGoing(string body) { return new Outcome { Body = body, Pending = true }; }
			public static Outcome Failed(InterweaveActionResult failure) { return new Outcome { Failure = failure }; }
		}

		[DataContract]
		private sealed class SendToIntacctAnswer
		{
			[DataMember(Name = "documentNo")] public string DocumentNo { get; set; }
			[DataMember(Name = "documentType")] public string DocumentType { get; set; }
			[DataMember(Name = "created")] public bool Created { get; set; }
		}

		[DataContract]
		private sealed class PendingAnswer
		{
			[DataMember(Name = "message")] public string Message { get; set; }
		}

		[DataContract]
		private sealed class SyncAnswer
		{
			[DataMember(Name = "intacctId")] public string IntacctId { get; set; }
			/// <summary>The sidecar took the work and goes on with it; the record shows the outcome when it is done.</summary>
			[DataMember(Name = "pending")] public bool Pending { get; set; }

			public static InterweaveActionResult StillGoing(string message) {
				return new InterweaveActionResult { Success = true, Pending = true, Message = message };
			}
			[DataMember(Name = "created")] public bool Created { get; set; }
		}

		[DataContract]
		private sealed class ProblemAnswer
		{
			[DataMember(Name = "title")] public string Title { get; set; }
			[DataMember(Name = "detail")] public string Detail { get; set; }
			[DataMember(Name = "hint")] public string Hint { get; set; }
			[DataMember(Name = "intacctErrors")] public IntacctErrorAnswer[] IntacctErrors { get; set; }
		}

		[DataContract]
		private sealed class IntacctErrorAnswer
		{
			[DataMember(Name = "errorNo")] public string ErrorNo { get; set; }
			[DataMember(Name = "correction")] public string Correction { get; set; }
		}
	}
}
