define("Products_FormPage", /**SCHEMA_DEPS*/["@creatio-devkit/common"]/**SCHEMA_DEPS*/, function/**SCHEMA_ARGS*/(sdk)/**SCHEMA_ARGS*/ {
	return {
		viewConfigDiff: /**SCHEMA_VIEW_CONFIG_DIFF*/[
			{
				"operation": "insert",
				"name": "UsrSyncWithIntacctButton",
				"values": {
					"type": "crt.Button",
					"caption": "#ResourceString(UsrSyncWithIntacctButton_caption)#",
					"color": "default",
					"disabled": "$UsrInterweaveBusy",
					"size": "large",
					"iconPosition": "left-icon",
					"icon": "process-button-icon",
					"visible": true,
					"clickMode": "default",
					"clicked": {
						"request": "usr.SyncProductWithIntacctRequest"
					}
				},
				"parentName": "ActionButtonsContainer",
				"propertyName": "items",
				"index": 0
			},
			{
				"operation": "insert",
				"name": "UsrIntacctTab",
				"values": {
					"type": "crt.TabContainer",
					"caption": "#ResourceString(UsrIntacctTab_caption)#",
					"iconPosition": "only-text",
					"visible": true,
					"items": []
				},
				"parentName": "Tabs",
				"propertyName": "items",
				"index": 1
			},
			{
				"operation": "insert",
				"name": "UsrIntacctFieldsContainer",
				"values": {
					"type": "crt.GridContainer",
					"columns": [
						"minmax(32px, 1fr)",
						"minmax(32px, 1fr)"
					],
					"rows": "minmax(max-content, 32px)",
					"gap": {
						"columnGap": "large",
						"rowGap": "none"
					},
					"items": []
				},
				"parentName": "UsrIntacctTab",
				"propertyName": "items",
				"index": 0
			},
			{
				"operation": "insert",
				"name": "UsrIntacctItemIdField",
				"values": {
					"layoutConfig": {
						"column": 1,
						"row": 1,
						"colSpan": 1,
						"rowSpan": 1
					},
					"type": "crt.Input",
					"label": "$Resources.Strings.PDS_UsrIntacctItemId",
					"labelPosition": "auto",
					"control": "$PDS_UsrIntacctItemId",
					"readonly": true,
					"multiline": false
				},
				"parentName": "UsrIntacctFieldsContainer",
				"propertyName": "items",
				"index": 0
			},
			{
				"operation": "insert",
				"name": "UsrIntacctSyncStatusField",
				"values": {
					"layoutConfig": {
						"column": 2,
						"row": 1,
						"colSpan": 1,
						"rowSpan": 1
					},
					"type": "crt.ComboBox",
					"label": "$Resources.Strings.PDS_UsrIntacctSyncStatus",
					"labelPosition": "auto",
					"control": "$PDS_UsrIntacctSyncStatus",
					"readonly": true
				},
				"parentName": "UsrIntacctFieldsContainer",
				"propertyName": "items",
				"index": 1
			},
			{
				"operation": "insert",
				"name": "UsrIntacctLastSyncedOnField",
				"values": {
					"layoutConfig": {
						"column": 1,
						"row": 2,
						"colSpan": 1,
						"rowSpan": 1
					},
					"type": "crt.DateTimePicker",
					"label": "$Resources.Strings.PDS_UsrIntacctLastSyncedOn",
					"labelPosition": "auto",
					"control": "$PDS_UsrIntacctLastSyncedOn",
					"readonly": true
				},
				"parentName": "UsrIntacctFieldsContainer",
				"propertyName": "items",
				"index": 2
			},
			{
				"operation": "insert",
				"name": "UsrIntacctLastSyncErrorField",
				"values": {
					"layoutConfig": {
						"column": 1,
						"row": 3,
						"colSpan": 2,
						"rowSpan": 1
					},
					"type": "crt.Input",
					"label": "$Resources.Strings.PDS_UsrIntacctLastSyncError",
					"labelPosition": "auto",
					"control": "$PDS_UsrIntacctLastSyncError",
					"readonly": true,
					"multiline": true
				},
				"parentName": "UsrIntacctFieldsContainer",
				"propertyName": "items",
				"index": 3
			}
		]/**SCHEMA_VIEW_CONFIG_DIFF*/,
		viewModelConfigDiff: /**SCHEMA_VIEW_MODEL_CONFIG_DIFF*/[
			{
				"operation": "merge",
				"path": [
					"attributes"
				],
				"values": {
					"UsrInterweaveBusy": {
						"value": false
					},
					"PDS_UsrIntacctItemId": {
						"modelConfig": {
							"path": "PDS.UsrIntacctItemId"
						}
					},
					"PDS_UsrIntacctSyncStatus": {
						"modelConfig": {
							"path": "PDS.UsrIntacctSyncStatus"
						}
					},
					"PDS_UsrIntacctLastSyncedOn": {
						"modelConfig": {
							"path": "PDS.UsrIntacctLastSyncedOn"
						}
					},
					"PDS_UsrIntacctLastSyncError": {
						"modelConfig": {
							"path": "PDS.UsrIntacctLastSyncError"
						}
					}
				}
			}
		]/**SCHEMA_VIEW_MODEL_CONFIG_DIFF*/,
		modelConfigDiff: /**SCHEMA_MODEL_CONFIG_DIFF*/[]/**SCHEMA_MODEL_CONFIG_DIFF*/,
		handlers: /**SCHEMA_HANDLERS*/[
			{
				request: "usr.SyncProductWithIntacctRequest",
				handler: async (request, next) => {
					const context = request.$context;
					if (await context.UsrInterweaveBusy) {
						return next?.handle(request);
					}
					const recordId = await context.Id;
					context.UsrInterweaveBusy = true;
					const notify = (message) => sdk.HandlerChainService.instance.process({
						type: "crt.NotificationRequest", $context: context, message: message, duration: 5000
					});
					const explain = (message, correction) => sdk.HandlerChainService.instance.process({
						type: "crt.ShowDialogRequest", $context: context,
						dialogConfig: { data: {
							message: correction ? message + "\n" + correction : message,
							actions: [{ key: "OK", config: { color: "primary", caption: "OK" } }]
						} }
					});
					try {
						await notify("Syncing with Intacct...");
						const url = Terrasoft.combinePath(Terrasoft.utils.uri.getConfigurationWebServiceBaseUrl(),
							"rest", "UsrInterweaveService", "SyncProductWithIntacct");
						const response = await new sdk.HttpClientService().post(url, { recordId: recordId });
						const result = response && response.body && response.body.SyncProductWithIntacctResult;
						if (result && result.success) {
							await notify(result.message);
						} else {
							await explain(result && result.message || "Interweave gave no answer.", result && result.correction);
						}
						await sdk.HandlerChainService.instance.process({
							type: "crt.LoadDataRequest", $context: context,
							config: { loadType: "reload", useLastLoadParameters: true }, dataSourceName: "PDS"
						});
					} catch (error) {
						await explain("Creatio could not call Interweave: " + (error && error.message || error),
							"Try again; if it keeps failing, ask your administrator to check the Interweave service.");
					} finally {
						context.UsrInterweaveBusy = false;
					}
					return next?.handle(request);
				}
			}
		]/**SCHEMA_HANDLERS*/,
		converters: /**SCHEMA_CONVERTERS*/{}/**SCHEMA_CONVERTERS*/,
		validators: /**SCHEMA_VALIDATORS*/{}/**SCHEMA_VALIDATORS*/
	};
});
