using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Terrasoft.Configuration;

namespace Interweave.CreatioPackage.Tests;

/// <summary>The package's back-end service: the requests it sends the sidecar and the words it shows users.</summary>
public sealed class InterweaveServiceTests
{
	private static readonly Guid RecordId = Guid.Parse("d0000000-0000-4000-8000-000000000001");

	[Fact]
	public async Task Send_to_Intacct_posts_to_the_opportunity_route_with_the_key_in_a_header()
	{
		var sidecar = new RecordingHandler(HttpStatusCode.OK,
			"""{"documentNo":"SO-0007","documentType":"Sales Order","state":"Pending","customerId":"C-1001","created":true}""");
		var client = new InterweaveSidecarClient(new HttpClient(sidecar), "http://sidecar.local:5080/", "iw-key-123");

		var result = await client.SendOpportunityToIntacct(RecordId);

		var request = Assert.Single(sidecar.Requests);
		Assert.Equal(HttpMethod.Post, request.Method);
		Assert.Equal("http://sidecar.local:5080/api/opportunities/d0000000-0000-4000-8000-000000000001/send-to-intacct", request.Uri);
		Assert.Equal("iw-key-123", request.ApiKey);
		Assert.Equal("{}", request.Body);
		Assert.True(result.Success);
		Assert.Equal("SO-0007", result.DocumentNumber);
		Assert.Equal("Sent to Intacct as Sales Order SO-0007.", result.Message);
	}

	[Fact]
	public async Task A_repeated_send_says_the_document_already_exists()
	{
		var sidecar = new RecordingHandler(HttpStatusCode.OK,
			"""{"documentNo":"SO-0007","documentType":"Sales Order","state":"Pending","customerId":"C-1001","created":false}""");
		var result = await new InterweaveSidecarClient(new HttpClient(sidecar), "http://s", "k").SendOpportunityToIntacct(RecordId);
		Assert.Equal("Already in Intacct as Sales Order SO-0007.", result.Message);
	}

	[Theory]
	[InlineData("opportunity")]
	[InlineData("account")]
	public async Task A_202_from_the_sidecar_tells_the_user_the_work_goes_on(string kind)
	{
		var sidecar = new RecordingHandler(HttpStatusCode.Accepted,
			"""{"message":"Intacct is slow to answer. The send goes on: the opportunity shows the document number when it is in Intacct, or the error."}""");
		var client = new InterweaveSidecarClient(new HttpClient(sidecar), "http://s", "k");

		var result = kind == "opportunity" ? await client.SendOpportunityToIntacct(RecordId) : await client.SyncAccount(RecordId);

		Assert.True(result.Success);
		Assert.True(result.Pending);
		Assert.StartsWith("Intacct is slow to answer.", result.Message);
		Assert.Null(result.DocumentNumber);
	}

	[Theory]
	[InlineData("account", "http://s/api/accounts/d0000000-0000-4000-8000-000000000001/sync", "Created Intacct customer C-1005.")]
	[InlineData("product", "http://s/api/products/d0000000-0000-4000-8000-000000000001/sync", "Created Intacct item C-1005.")]
	public async Task Sync_posts_to_the_record_route_and_reports_the_Intacct_id(string kind, string expectedUri, string expectedMessage)
	{
		var sidecar = new RecordingHandler(HttpStatusCode.OK, """{"intacctId":"C-1005","created":true}""");
		var client = new InterweaveSidecarClient(new HttpClient(sidecar), "http://s", "k");

		var result = kind == "account" ? await client.SyncAccount(RecordId) : await client.SyncProduct(RecordId);

		Assert.Equal(expectedUri, Assert.Single(sidecar.Requests).Uri);
		Assert.True(result.Success);
		Assert.Equal("C-1005", result.IntacctId);
		Assert.Equal(expectedMessage, result.Message);
	}

	[Fact]
	public async Task An_Intacct_refusal_shows_the_error_number_and_Intacct_correction()
	{
		// The shape the sidecar's RemoteProblems writes for an Intacct business error.
		var sidecar = new RecordingHandler(HttpStatusCode.UnprocessableEntity, """
			{"type":"https://tools.ietf.org/html/rfc4918#section-11.2","title":"Intacct did not accept the opportunity.",
			 "status":422,"detail":"Could not create Document record! Customer C-1001 is on hold.","failure":"Business",
			 "hint":"Check the record in Intacct.","level":"Function",
			 "intacctErrors":[{"errorNo":"BL01001973","description":"Could not create Document record!","description2":"Customer C-1001 is on hold.","correction":"Take the customer off hold in Intacct, then send again."}]}
			""", "application/problem+json");

		var result = await new InterweaveSidecarClient(new HttpClient(sidecar), "http://s", "k").SendOpportunityToIntacct(RecordId);

		Assert.False(result.Success);
		Assert.Equal("Intacct did not accept the opportunity. Could not create Document record! Customer C-1001 is on hold. (Intacct error BL01001973)", result.Message);
		Assert.Equal("Take the customer off hold in Intacct, then send again.", result.Correction);
	}

	[Fact]
	public async Task A_validation_problem_without_Intacct_errors_uses_its_detail_and_hint()
	{
		var sidecar = new RecordingHandler(HttpStatusCode.UnprocessableEntity,
			"""{"title":"The opportunity cannot be sent.","status":422,"detail":"It has no products.","hint":"Add at least one product line."}""",
			"application/problem+json");

		var result = await new InterweaveSidecarClient(new HttpClient(sidecar), "http://s", "k").SendOpportunityToIntacct(RecordId);

		Assert.Equal("The opportunity cannot be sent. It has no products.", result.Message);
		Assert.Equal("Add at least one product line.", result.Correction);
	}

	[Theory]
	[InlineData(HttpStatusCode.Unauthorized)]
	[InlineData(HttpStatusCode.Forbidden)]
	public void A_refused_key_tells_the_user_who_can_fix_it(HttpStatusCode status)
	{
		var result = InterweaveSidecarClient.MapProblem(status, """{"title":"Unauthorized","status":401}""");
		Assert.Equal("Interweave refused the API key.", result.Message);
		Assert.Contains("Interweave API key", result.Correction);
	}

	[Fact]
	public void A_body_that_is_not_problem_details_still_gives_a_plain_message()
	{
		var result = InterweaveSidecarClient.MapProblem(HttpStatusCode.BadGateway, "<html>proxy error</html>");
		Assert.False(result.Success);
		Assert.Equal("Interweave answered with an error (HTTP 502).", result.Message);
	}

	[Fact]
	public async Task An_unreachable_sidecar_says_so_and_points_at_the_url_setting()
	{
		var closedPort = ClosedPort();
		var result = await new InterweaveSidecarClient(new HttpClient(), $"http://127.0.0.1:{closedPort}", "k").SyncAccount(RecordId);
		Assert.False(result.Success);
		Assert.Equal("Interweave could not be reached.", result.Message);
		Assert.Contains("Interweave sidecar URL", result.Correction);
	}

	[Fact]
	public async Task A_timeout_warns_that_the_request_may_still_complete()
	{
		var slow = new RecordingHandler(HttpStatusCode.OK, "{}") { Delay = TimeSpan.FromSeconds(5) };
		var http = new HttpClient(slow) { Timeout = TimeSpan.FromMilliseconds(50) };
		var result = await new InterweaveSidecarClient(http, "http://s", "k").SendOpportunityToIntacct(RecordId);
		Assert.Equal("Interweave did not answer in time.", result.Message);
	}

	[Fact]
	public void A_button_call_never_holds_a_server_worker_near_the_100_second_limits()
	{
		// HttpClient's own default and common proxy and IIS limits are 100-120 s; the page must hear back well before.
		Assert.True(InterweaveSidecarClient.DefaultTimeout <= TimeSpan.FromSeconds(30), $"the sidecar call may take {InterweaveSidecarClient.DefaultTimeout}");
	}

	[Fact]
	public void The_service_refuses_to_call_when_its_settings_are_empty()
	{
		var service = new UsrInterweaveService();
		Allow(service, UsrInterweaveService.CanSendToIntacct, "Opportunity");
		service.UserConnection.SysSettingValues[UsrInterweaveService.SidecarUrlSetting] = "http://127.0.0.1:5080";

		var result = service.SendOpportunityToIntacct(RecordId);

		Assert.False(result.Success);
		Assert.Equal("Interweave is not configured.", result.Message);
	}

	[Fact]
	public async Task The_service_reads_both_settings_and_calls_the_sidecar_they_name()
	{
		using var listener = new System.Net.HttpListener();
		var port = ClosedPort();
		listener.Prefixes.Add($"http://127.0.0.1:{port}/");
		listener.Start();
		string seenKey = null, seenPath = null;
		var serving = Task.Run(async () =>
		{
			var context = await listener.GetContextAsync();
			seenKey = context.Request.Headers["X-Api-Key"];
			seenPath = context.Request.Url!.AbsolutePath;
			var body = Encoding.UTF8.GetBytes("""{"intacctId":"WIDGET-STD","created":false}""");
			context.Response.ContentType = "application/json";
			await context.Response.OutputStream.WriteAsync(body, TestContext.Current.CancellationToken);
			context.Response.Close();
		}, TestContext.Current.CancellationToken);

		var service = new UsrInterweaveService();
		Allow(service, UsrInterweaveService.CanSyncWithIntacct, "Product");
		service.UserConnection.SysSettingValues[UsrInterweaveService.SidecarUrlSetting] = $"http://127.0.0.1:{port}";
		service.UserConnection.SysSettingValues[UsrInterweaveService.ApiKeySetting] = "iw-secret";
		// The service blocks like a WCF operation does; run it off the test's thread.
		var result = await Task.Run(() => service.SyncProductWithIntacct(RecordId), TestContext.Current.CancellationToken);
		await serving.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

		Assert.True(result.Success, result.Message);
		Assert.Equal("Synced with Intacct item WIDGET-STD.", result.Message);
		Assert.Equal("iw-secret", seenKey);
		Assert.Equal($"/api/products/{RecordId:D}/sync", seenPath);
	}

	/// <summary>Grants the user the operation and read access to the object and to <see cref="RecordId"/>.</summary>
	private static void Allow(UsrInterweaveService service, string operation, string schema)
	{
		var security = service.UserConnection.DBSecurityEngine;
		security.Operations.Add(operation);
		security.ReadableSchemas.Add(schema);
		security.RecordRights[(schema, RecordId)] = Terrasoft.Core.DB.SchemaRecordRightLevels.CanRead | Terrasoft.Core.DB.SchemaRecordRightLevels.CanEdit;
	}

	/// <summary>A service whose settings name a port nothing listens on: any call to the sidecar would fail to connect.</summary>
	private static UsrInterweaveService ConfiguredService()
	{
		var service = new UsrInterweaveService();
		service.UserConnection.SysSettingValues[UsrInterweaveService.SidecarUrlSetting] = $"http://127.0.0.1:{ClosedPort()}";
		service.UserConnection.SysSettingValues[UsrInterweaveService.ApiKeySetting] = "iw-secret";
		return service;
	}

	private static InterweaveActionResult Click(UsrInterweaveService service, string button) => button switch
	{
		"send" => service.SendOpportunityToIntacct(RecordId),
		"account" => service.SyncAccountWithIntacct(RecordId),
		_ => service.SyncProductWithIntacct(RecordId),
	};

	[Theory]
	[InlineData("send", "CanSendToIntacct", "Opportunity", "You may not send opportunities to Intacct.")]
	[InlineData("account", "CanSyncWithIntacct", "Account", "You may not sync records with Intacct.")]
	[InlineData("product", "CanSyncWithIntacct", "Product", "You may not sync records with Intacct.")]
	public void A_button_refuses_a_user_without_its_operation_permission_before_calling_the_sidecar(string button, string operation, string schema, string message)
	{
		var service = ConfiguredService();
		Allow(service, operation, schema);
		service.UserConnection.DBSecurityEngine.Operations.Clear();

		var result = Click(service, button);

		Assert.False(result.Success);
		Assert.Equal(message, result.Message);
		Assert.Contains(operation, result.Correction);
	}

	[Theory]
	[InlineData("send", "CanSendToIntacct", "Opportunity")]
	[InlineData("account", "CanSyncWithIntacct", "Account")]
	[InlineData("product", "CanSyncWithIntacct", "Product")]
	public void A_button_refuses_a_user_who_cannot_read_the_record_or_its_object(string button, string operation, string schema)
	{
		var service = ConfiguredService();
		Allow(service, operation, schema);
		service.UserConnection.DBSecurityEngine.RecordRights[(schema, RecordId)] = Terrasoft.Core.DB.SchemaRecordRightLevels.None;

		var record = Click(service, button);

		service.UserConnection.DBSecurityEngine.RecordRights[(schema, RecordId)] = Terrasoft.Core.DB.SchemaRecordRightLevels.CanRead;
		service.UserConnection.DBSecurityEngine.ReadableSchemas.Clear();
		var wholeObject = Click(service, button);

		Assert.All(new[] { record, wholeObject }, result =>
		{
			Assert.False(result.Success);
			Assert.Equal($"You do not have access to this {schema.ToLowerInvariant()}.", result.Message);
		});
	}

	private static int ClosedPort()
	{
		using var socket = new TcpListener(IPAddress.Loopback, 0);
		socket.Start();
		return ((IPEndPoint)socket.LocalEndpoint).Port;
	}

	private sealed record SeenRequest(HttpMethod Method, string Uri, string ApiKey, string Body);

	private sealed class RecordingHandler(HttpStatusCode status, string body, string contentType = "application/json") : HttpMessageHandler
	{
		public List<SeenRequest> Requests { get; } = new();
		public TimeSpan Delay { get; init; }

		protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
		{
			Requests.Add(new SeenRequest(request.Method, request.RequestUri!.ToString(),
				string.Join(",", request.Headers.GetValues("X-Api-Key")),
				request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken)));
			if (Delay > TimeSpan.Zero) await Task.Delay(Delay, cancellationToken);
			return new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, contentType) };
		}
	}
}
