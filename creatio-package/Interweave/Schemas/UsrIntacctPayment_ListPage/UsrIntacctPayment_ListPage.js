define("UsrIntacctPayment_ListPage", /**SCHEMA_DEPS*/[]/**SCHEMA_DEPS*/, function/**SCHEMA_ARGS*/()/**SCHEMA_ARGS*/ {
	return {
		viewConfigDiff: /**SCHEMA_VIEW_CONFIG_DIFF*/[
			{
				"operation": "merge",
				"name": "DataTable",
				"values": {
					"primaryColumnName": "PDS_Id",
					"sorting": "$ItemsSorting | crt.ToDataTableSortingConfig: 'Items'",
					"columns": [
						{
							"id": "9b3b5e46-000f-5edf-be8a-98d2cec5dbc2",
							"code": "PDS_UsrNumber",
							"path": "UsrNumber",
							"caption": "#ResourceString(PDS_UsrNumber)#",
							"dataValueType": 1
						},
						{
							"id": "35c9e5bc-6a01-5c77-b687-dfd79c83caf6",
							"code": "PDS_UsrAccount",
							"path": "UsrAccount",
							"caption": "#ResourceString(PDS_UsrAccount)#",
							"dataValueType": 10,
							"referenceSchemaName": "Account"
						},
						{
							"id": "edccb342-f32f-5e67-9304-0f93a28a3553",
							"code": "PDS_UsrOpportunity",
							"path": "UsrOpportunity",
							"caption": "#ResourceString(PDS_UsrOpportunity)#",
							"dataValueType": 10,
							"referenceSchemaName": "Opportunity"
						},
						{
							"id": "7b279919-6c94-5962-8ddd-22b0f0a8f981",
							"code": "PDS_UsrDate",
							"path": "UsrDate",
							"caption": "#ResourceString(PDS_UsrDate)#",
							"dataValueType": 8
						},
						{
							"id": "9b81ef02-731e-5c5c-a27e-d8cf91a49fce",
							"code": "PDS_UsrInvoice",
							"path": "UsrInvoice",
							"caption": "#ResourceString(PDS_UsrInvoice)#",
							"dataValueType": 10,
							"referenceSchemaName": "UsrIntacctInvoice"
						},
						{
							"id": "9292f82e-13e5-5521-a572-ffe182e8812f",
							"code": "PDS_UsrAmount",
							"path": "UsrAmount",
							"caption": "#ResourceString(PDS_UsrAmount)#",
							"dataValueType": 6
						},
						{
							"id": "1f792868-b4f1-5cf0-9a9e-f31458332d12",
							"code": "PDS_UsrMethod",
							"path": "UsrMethod",
							"caption": "#ResourceString(PDS_UsrMethod)#",
							"dataValueType": 1
						},
						{
							"id": "27289888-5519-506d-873a-1350ad990e1a",
							"code": "PDS_UsrKind",
							"path": "UsrKind",
							"caption": "#ResourceString(PDS_UsrKind)#",
							"dataValueType": 1
						},
						{
							"id": "035c036c-3ceb-5c62-b0c9-85235b6d242d",
							"code": "PDS_UsrUnapplied",
							"path": "UsrUnapplied",
							"caption": "#ResourceString(PDS_UsrUnapplied)#",
							"dataValueType": 6
						}
					]
				}
			}
		]/**SCHEMA_VIEW_CONFIG_DIFF*/,
		viewModelConfigDiff: /**SCHEMA_VIEW_MODEL_CONFIG_DIFF*/[
			{
				"operation": "merge",
				"path": [
					"attributes"
				],
				"values": {
					"ItemsSorting": {}
				}
			},
			{
				"operation": "merge",
				"path": [
					"attributes",
					"Items"
				],
				"values": {
					"modelConfig": {
						"path": "PDS",
						"pagingConfig": {
							"rowCount": 30
						},
						"sortingConfig": {
							"attributeName": "ItemsSorting",
							"default": [
								{
									"direction": "desc",
									"columnName": "UsrDate"
								}
							]
						}
					}
				}
			},
			{
				"operation": "merge",
				"path": [
					"attributes",
					"Items",
					"viewModelConfig",
					"attributes"
				],
				"values": {
					"PDS_UsrNumber": {
						"modelConfig": {
							"path": "PDS.UsrNumber"
						}
					},
					"PDS_UsrAccount": {
						"modelConfig": {
							"path": "PDS.UsrAccount"
						}
					},
					"PDS_UsrOpportunity": {
						"modelConfig": {
							"path": "PDS.UsrOpportunity"
						}
					},
					"PDS_UsrDate": {
						"modelConfig": {
							"path": "PDS.UsrDate"
						}
					},
					"PDS_UsrInvoice": {
						"modelConfig": {
							"path": "PDS.UsrInvoice"
						}
					},
					"PDS_UsrAmount": {
						"modelConfig": {
							"path": "PDS.UsrAmount"
						}
					},
					"PDS_UsrMethod": {
						"modelConfig": {
							"path": "PDS.UsrMethod"
						}
					},
					"PDS_UsrKind": {
						"modelConfig": {
							"path": "PDS.UsrKind"
						}
					},
					"PDS_UsrUnapplied": {
						"modelConfig": {
							"path": "PDS.UsrUnapplied"
						}
					},
					"PDS_Id": {
						"modelConfig": {
							"path": "PDS.Id"
						}
					}
				}
			}
		]/**SCHEMA_VIEW_MODEL_CONFIG_DIFF*/,
		modelConfigDiff: /**SCHEMA_MODEL_CONFIG_DIFF*/[
			{
				"operation": "merge",
				"path": [],
				"values": {
					"dataSources": {
						"PDS": {
							"type": "crt.EntityDataSource",
							"hiddenInPageDesigner": true,
							"config": {
								"entitySchemaName": "UsrIntacctPayment",
								"attributes": {
									"UsrNumber": {
										"path": "UsrNumber"
									},
									"UsrAccount": {
										"path": "UsrAccount"
									},
									"UsrOpportunity": {
										"path": "UsrOpportunity"
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
									},
									"UsrKind": {
										"path": "UsrKind"
									},
									"UsrUnapplied": {
										"path": "UsrUnapplied"
									}
								}
							},
							"scope": "viewElement"
						}
					}
				}
			}
		]/**SCHEMA_MODEL_CONFIG_DIFF*/,
		handlers: /**SCHEMA_HANDLERS*/[]/**SCHEMA_HANDLERS*/,
		converters: /**SCHEMA_CONVERTERS*/{}/**SCHEMA_CONVERTERS*/,
		validators: /**SCHEMA_VALIDATORS*/{}/**SCHEMA_VALIDATORS*/
	};
});
