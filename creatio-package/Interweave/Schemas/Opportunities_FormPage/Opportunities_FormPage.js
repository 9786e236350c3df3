define("Opportunities_FormPage", /**SCHEMA_DEPS*/["@creatio-devkit/common"]/**SCHEMA_DEPS*/, function/**SCHEMA_ARGS*/(sdk)/**SCHEMA_ARGS*/ {
	return {
		viewConfigDiff: /**SCHEMA_VIEW_CONFIG_DIFF*/[
			{
				"operation": "insert",
				"name": "UsrSendToIntacctButton",
				"values": {
					"type": "crt.Button",
					"caption": "#ResourceString(UsrSendToIntacctButton_caption)#",
					"color": "default",
					"disabled": "$UsrInterweaveBusy",
					"size": "large",
					"iconPosition": "left-icon",
					"icon": "process-button-icon",
					"visible": true,
					"clickMode": "default",
					"clicked": {
						"request": "usr.SendToIntacctRequest"
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
				"name": "UsrIntacctDocumentNoField",
				"values": {
					"layoutConfig": {
						"column": 1,
						"row": 1,
						"colSpan": 1,
						"rowSpan": 1
					},
					"type": "crt.Input",
					"label": "$Resources.Strings.PDS_UsrIntacctDocumentNo",
					"labelPosition": "auto",
					"control": "$PDS_UsrIntacctDocumentNo",
					"readonly": true,
					"multiline": false
				},
				"parentName": "UsrIntacctFieldsContainer",
				"propertyName": "items",
				"index": 0
			},
			{
				"operation": "insert",
				"name": "UsrIntacctDocumentTypeField",
				"values": {
					"layoutConfig": {
						"column": 2,
						"row": 1,
						"colSpan": 1,
						"rowSpan": 1
					},
					"type": "crt.Input",
					"label": "$Resources.Strings.PDS_UsrIntacctDocumentType",
					"labelPosition": "auto",
					"control": "$PDS_UsrIntacctDocumentType",
					"readonly": true,
					"multiline": false
				},
				"parentName": "UsrIntacctFieldsContainer",
				"propertyName": "items",
				"index": 1
			},
			{
				"operation": "insert",
				"name": "UsrIntacctStateField",
				"values": {
					"layoutConfig": {
						"column": 1,
						"row": 2,
						"colSpan": 1,
						"rowSpan": 1
					},
					"type": "crt.Input",
					"label": "$Resources.Strings.PDS_UsrIntacctState",
					"labelPosition": "auto",
					"control": "$PDS_UsrIntacctState",
					"readonly": true,
					"multiline": false
				},
				"parentName": "UsrIntacctFieldsContainer",
				"propertyName": "items",
				"index": 2
			},
			{
				"operation": "insert",
				"name": "UsrIntacctSyncStatusField",
				"values": {
					"layoutConfig": {
						"column": 2,
						"row": 2,
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
				"index": 3
			},
			{
				"operation": "insert",
				"name": "UsrIntacctAmountDueField",
				"values": {
					"layoutConfig": {
						"column": 1,
						"row": 3,
						"colSpan": 1,
						"rowSpan": 1
					},
					"type": "crt.NumberInput",
					"label": "$Resources.Strings.PDS_UsrIntacctAmountDue",
					"labelPosition": "auto",
					"control": "$PDS_UsrIntacctAmountDue",
					"readonly": true
				},
				"parentName": "UsrIntacctFieldsContainer",
				"propertyName": "items",
				"index": 4
			},
			{
				"operation": "insert",
				"name": "UsrIntacctAmountPaidField",
				"values": {
					"layoutConfig": {
						"column": 2,
						"row": 3,
						"colSpan": 1,
						"rowSpan": 1
					},
					"type": "crt.NumberInput",
					"label": "$Resources.Strings.PDS_UsrIntacctAmountPaid",
					"labelPosition": "auto",
					"control": "$PDS_UsrIntacctAmountPaid",
					"readonly": true
				},
				"parentName": "UsrIntacctFieldsContainer",
				"propertyName": "items",
				"index": 5
			},
			{
				"operation": "insert",
				"name": "UsrIntacctLastSyncErrorField",
				"values": {
					"layoutConfig": {
						"column": 1,
						"row": 4,
						"colSpan": 1,
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
				"index": 6
			},
			{
				"operation": "insert",
				"name": "UsrIntacctInvoicesListLabel",
				"values": {
					"type": "crt.Label",
					"caption": "#ResourceString(UsrIntacctInvoicesListLabel_caption)#",
					"labelType": "headline-3",
					"labelThickness": "default",
					"labelColor": "#0D2E4E"
				},
				"parentName": "UsrIntacctTab",
				"propertyName": "items",
				"index": 1
			},
			{
				"operation": "insert",
				"name": "UsrIntacctInvoicesList",
				"values": {
					"type": "crt.DataGrid",
					"layoutConfig": {
						"colSpan": 2,
						"column": 1,
						"row": 1,
						"rowSpan": 6
					},
					"features": {
						"rows": {
							"selection": false
						}
					},
					"items": "$UsrIntacctInvoicesList",
					"primaryColumnName": "UsrIntacctInvoicesListDS_Id",
					"columns": [
						{
							"id": "86f70a23-0845-5c0c-b58f-71d5b8b75940",
							"code": "UsrIntacctInvoicesListDS_UsrNumber",
							"path": "UsrNumber",
							"caption": "#ResourceString(UsrIntacctInvoicesListDS_UsrNumber)#",
							"dataValueType": 1
						},
						{
							"id": "fd7730e3-a81a-5ac1-858d-cfee79a6df8e",
							"code": "UsrIntacctInvoicesListDS_UsrDate",
							"path": "UsrDate",
							"caption": "#ResourceString(UsrIntacctInvoicesListDS_UsrDate)#",
							"dataValueType": 8
						},
						{
							"id": "17b2e313-6a52-5660-8e24-82e94903bb51",
							"code": "UsrIntacctInvoicesListDS_UsrDueDate",
							"path": "UsrDueDate",
							"caption": "#ResourceString(UsrIntacctInvoicesListDS_UsrDueDate)#",
							"dataValueType": 8
						},
						{
							"id": "802cd01c-7ec5-5808-9bc1-304ef7265072",
							"code": "UsrIntacctInvoicesListDS_UsrCurrency",
							"path": "UsrCurrency",
							"caption": "#ResourceString(UsrIntacctInvoicesListDS_UsrCurrency)#",
							"dataValueType": 10,
							"referenceSchemaName": "Currency"
						},
						{
							"id": "212a194e-2345-575a-9f85-deafc762aca8",
							"code": "UsrIntacctInvoicesListDS_UsrTotal",
							"path": "UsrTotal",
							"caption": "#ResourceString(UsrIntacctInvoicesListDS_UsrTotal)#",
							"dataValueType": 6
						},
						{
							"id": "13112042-bb0c-5b5e-922c-6bb6ce119ec2",
							"code": "UsrIntacctInvoicesListDS_UsrPaid",
							"path": "UsrPaid",
							"caption": "#ResourceString(UsrIntacctInvoicesListDS_UsrPaid)#",
							"dataValueType": 6
						},
						{
							"id": "2ef90614-05b8-59e3-99ef-97819c06a698",
							"code": "UsrIntacctInvoicesListDS_UsrDue",
							"path": "UsrDue",
							"caption": "#ResourceString(UsrIntacctInvoicesListDS_UsrDue)#",
							"dataValueType": 6
						},
						{
							"id": "3088b829-2a90-594a-9d28-66bdf5225112",
							"code": "UsrIntacctInvoicesListDS_UsrState",
							"path": "UsrState",
							"caption": "#ResourceString(UsrIntacctInvoicesListDS_UsrState)#",
							"dataValueType": 1
						}
					]
				},
				"parentName": "UsrIntacctTab",
				"propertyName": "items",
				"index": 2
			},
			{
				"operation": "insert",
				"name": "UsrIntacctPaymentsListLabel",
				"values": {
					"type": "crt.Label",
					"caption": "#ResourceString(UsrIntacctPaymentsListLabel_caption)#",
					"labelType": "headline-3",
					"labelThickness": "default",
					"labelColor": "#0D2E4E"
				},
				"parentName": "UsrIntacctTab",
				"propertyName": "items",
				"index": 3
			},
			{
				"operation": "insert",
				"name": "UsrIntacctPaymentsList",
				"values": {
					"type": "crt.DataGrid",
					"layoutConfig": {
						"colSpan": 2,
						"column": 1,
						"row": 1,
						"rowSpan": 6
					},
					"features": {
						"rows": {
							"selection": false
						}
					},
					"items": "$UsrIntacctPaymentsList",
					"primaryColumnName": "UsrIntacctPaymentsListDS_Id",
					"columns": [
						{
							"id": "35b2c2c4-e2d1-5bc4-bb58-1c2a6026b853",
							"code": "UsrIntacctPaymentsListDS_UsrNumber",
							"path": "UsrNumber",
							"caption": "#ResourceString(UsrIntacctPaymentsListDS_UsrNumber)#",
							"dataValueType": 1
						},
						{
							"id": "d646a1ae-a8f9-50f6-9d06-97916d6b74a1",
							"code": "UsrIntacctPaymentsListDS_UsrDate",
							"path": "UsrDate",
							"caption": "#ResourceString(UsrIntacctPaymentsListDS_UsrDate)#",
							"dataValueType": 8
						},
						{
							"id": "8250e4b4-6b1e-506b-878a-cd4d34b30950",
							"code": "UsrIntacctPaymentsListDS_UsrInvoice",
							"path": "UsrInvoice",
							"caption": "#ResourceString(UsrIntacctPaymentsListDS_UsrInvoice)#",
							"dataValueType": 10,
							"referenceSchemaName": "UsrIntacctInvoice"
						},
						{
							"id": "92da9ee3-c4fe-5071-accb-1808b2e42814",
							"code": "UsrIntacctPaymentsListDS_UsrAmount",
							"path": "UsrAmount",
							"caption": "#ResourceString(UsrIntacctPaymentsListDS_UsrAmount)#",
							"dataValueType": 6
						},
						{
							"id": "1f9249fe-b09f-563c-b2df-4595ec0fb3b8",
							"code": "UsrIntacctPaymentsListDS_UsrMethod",
							"path": "UsrMethod",
							"caption": "#ResourceString(UsrIntacctPaymentsListDS_UsrMethod)#",
							"dataValueType": 1
						},
						{
							"id": "3545c23f-a890-5540-923e-2ea0d3b0aeb4",
							"code": "UsrIntacctPaymentsListDS_UsrKind",
							"path": "UsrKind",
							"caption": "#ResourceString(UsrIntacctPaymentsListDS_UsrKind)#",
							"dataValueType": 1
						}
					]
				},
				"parentName": "UsrIntacctTab",
				"propertyName": "items",
				"index": 4
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
					"PDS_UsrIntacctDocumentNo": {
						"modelConfig": {
							"path": "PDS.UsrIntacctDocumentNo"
						}
					},
					"PDS_UsrIntacctDocumentType": {
						"modelConfig": {
							"path": "PDS.UsrIntacctDocumentType"
						}
					},
					"PDS_UsrIntacctState": {
						"modelConfig": {
							"path": "PDS.UsrIntacctState"
						}
					},
					"PDS_UsrIntacctSyncStatus": {
						"modelConfig": {
							"path": "PDS.UsrIntacctSyncStatus"
						}
					},
					"PDS_UsrIntacctAmountDue": {
						"modelConfig": {
							"path": "PDS.UsrIntacctAmountDue"
						}
					},
					"PDS_UsrIntacctAmountPaid": {
						"modelConfig": {
							"path": "PDS.UsrIntacctAmountPaid"
						}
					},
					"PDS_UsrIntacctLastSyncError": {
						"modelConfig": {
							"path": "PDS.UsrIntacctLastSyncError"
						}
					},
					"UsrIntacctInvoicesList": {
						"isCollection": true,
						"modelConfig": {
							"path": "UsrIntacctInvoicesListDS",
							"sortingConfig": {
								"default": [
									{
										"direction": "desc",
										"columnName": "UsrDate"
									}
								]
							}
						},
						"viewModelConfig": {
							"attributes": {
								"UsrIntacctInvoicesListDS_UsrNumber": {
									"modelConfig": {
										"path": "UsrIntacctInvoicesListDS.UsrNumber"
									}
								},
								"UsrIntacctInvoicesListDS_UsrDate": {
									"modelConfig": {
										"path": "UsrIntacctInvoicesListDS.UsrDate"
									}
								},
								"UsrIntacctInvoicesListDS_UsrDueDate": {
									"modelConfig": {
										"path": "UsrIntacctInvoicesListDS.UsrDueDate"
									}
								},
								"UsrIntacctInvoicesListDS_UsrCurrency": {
									"modelConfig": {
										"path": "UsrIntacctInvoicesListDS.UsrCurrency"
									}
								},
								"UsrIntacctInvoicesListDS_UsrTotal": {
									"modelConfig": {
										"path": "UsrIntacctInvoicesListDS.UsrTotal"
									}
								},
								"UsrIntacctInvoicesListDS_UsrPaid": {
									"modelConfig": {
										"path": "UsrIntacctInvoicesListDS.UsrPaid"
									}
								},
								"UsrIntacctInvoicesListDS_UsrDue": {
									"modelConfig": {
										"path": "UsrIntacctInvoicesListDS.UsrDue"
									}
								},
								"UsrIntacctInvoicesListDS_UsrState": {
									"modelConfig": {
										"path": "UsrIntacctInvoicesListDS.UsrState"
									}
								},
								"UsrIntacctInvoicesListDS_Id": {
									"modelConfig": {
										"path": "UsrIntacctInvoicesListDS.Id"
									}
								}
							}
						}
					},
					"UsrIntacctPaymentsList": {
						"isCollection": true,
						"modelConfig": {
							"path": "UsrIntacctPaymentsListDS",
							"sortingConfig": {
								"default": [
									{
										"direction": "desc",
										"columnName": "UsrDate"
									}
								]
							}
						},
						"viewModelConfig": {
							"attributes": {
								"UsrIntacctPaymentsListDS_UsrNumber": {
									"modelConfig": {
										"path": "UsrIntacctPaymentsListDS.UsrNumber"
									}
								},
								"UsrIntacctPaymentsListDS_UsrDate": {
									"modelConfig": {
										"path": "UsrIntacctPaymentsListDS.UsrDate"
									}
								},
								"UsrIntacctPaymentsListDS_UsrInvoice": {
									"modelConfig": {
										"path": "UsrIntacctPaymentsListDS.UsrInvoice"
									}
								},
								"UsrIntacctPaymentsListDS_UsrAmount": {
									"modelConfig": {
										"path": "UsrIntacctPaymentsListDS.UsrAmount"
									}
								},
								"UsrIntacctPaymentsListDS_UsrMethod": {
									"modelConfig": {
										"path": "UsrIntacctPaymentsListDS.UsrMethod"
									}
								},
								"UsrIntacctPaymentsListDS_UsrKind": {
									"modelConfig": {
										"path": "UsrIntacctPaymentsListDS.UsrKind"
									}
								},
								"UsrIntacctPaymentsListDS_Id": {
									"modelConfig": {
										"path": "UsrIntacctPaymentsListDS.Id"
									}
								}
							}
						}
					}
				}
			}
		]/**SCHEMA_VIEW_MODEL_CONFIG_DIFF*/,
		modelConfigDiff: /**SCHEMA_MODEL_CONFIG_DIFF*/[
			{
				"operation": "merge",
				"path": [
					"dataSources"
				],
				"values": {
					"UsrIntacctInvoicesListDS": {
						"type": "crt.EntityDataSource",
						"scope": "viewElement",
						"config": {
							"entitySchemaName": "UsrIntacctInvoice",
							"attributes": {
								"UsrNumber": {
									"path": "UsrNumber"
								},
								"UsrDate": {
									"path": "UsrDate"
								},
								"UsrDueDate": {
									"path": "UsrDueDate"
								},
								"UsrCurrency": {
									"path": "UsrCurrency"
								},
								"UsrTotal": {
									"path": "UsrTotal"
								},
								"UsrPaid": {
									"path": "UsrPaid"
								},
								"UsrDue": {
									"path": "UsrDue"
								},
								"UsrState": {
									"path": "UsrState"
								}
							}
						}
					},
					"UsrIntacctPaymentsListDS": {
						"type": "crt.EntityDataSource",
						"scope": "viewElement",
						"config": {
							"entitySchemaName": "UsrIntacctPayment",
							"attributes": {
								"UsrNumber": {
									"path": "UsrNumber"
								},
								"UsrDate": {
									"path": "UsrDate"
								},
								"UsrInvoice": {
									"path": "UsrInvoice"
								},
								"UsrAmount": {
									"path": "UsrAmount"
								},
								"UsrMethod": {
									"path": "UsrMethod"
								}
							}
						}
					}
				}
			},
			{
				"operation": "merge",
				"path": [
					"dependencies"
				],
				"values": {
					"UsrIntacctInvoicesListDS": [
						{
							"attributePath": "UsrOpportunity",
							"relationPath": "PDS.Id"
						}
					],
					"UsrIntacctPaymentsListDS": [
						{
							"attributePath": "UsrOpportunity",
							"relationPath": "PDS.Id"
						}
					]
				}
			}
		]/**SCHEMA_MODEL_CONFIG_DIFF*/,
		handlers: /**SCHEMA_HANDLERS*/[
			{
				request: "usr.SendToIntacctRequest",
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
						await notify("Sending to Intacct...");
						const url = Terrasoft.combinePath(Terrasoft.utils.uri.getConfigurationWebServiceBaseUrl(),
							"rest", "UsrInterweaveService", "SendOpportunityToIntacct");
						const response = await new sdk.HttpClientService().post(url, { recordId: recordId });
						const result = response && response.body && response.body.SendOpportunityToIntacctResult;
						if (result && result.success) {
							// Pending: the sidecar goes on with the send; the document number appears on a later reload.
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
