define("UsrIntacctInvoice_ListPage", /**SCHEMA_DEPS*/[]/**SCHEMA_DEPS*/, function/**SCHEMA_ARGS*/()/**SCHEMA_ARGS*/ {
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
							"id": "f7cf9a59-5d75-55e3-8666-b698770200d5",
							"code": "PDS_UsrNumber",
							"path": "UsrNumber",
							"caption": "#ResourceString(PDS_UsrNumber)#",
							"dataValueType": 1
						},
						{
							"id": "8b650c84-6eb6-5622-b47c-abbae1814b94",
							"code": "PDS_UsrAccount",
							"path": "UsrAccount",
							"caption": "#ResourceString(PDS_UsrAccount)#",
							"dataValueType": 10,
							"referenceSchemaName": "Account"
						},
						{
							"id": "ef0310e1-3ac9-5bb6-9610-80abb5fa90fb",
							"code": "PDS_UsrOpportunity",
							"path": "UsrOpportunity",
							"caption": "#ResourceString(PDS_UsrOpportunity)#",
							"dataValueType": 10,
							"referenceSchemaName": "Opportunity"
						},
						{
							"id": "6ee34f25-dcb6-54ee-aa76-0cd700c5af0a",
							"code": "PDS_UsrDate",
							"path": "UsrDate",
							"caption": "#ResourceString(PDS_UsrDate)#",
							"dataValueType": 8
						},
						{
							"id": "7a31e00a-b3b0-5d54-ad67-a47f21c30a58",
							"code": "PDS_UsrDueDate",
							"path": "UsrDueDate",
							"caption": "#ResourceString(PDS_UsrDueDate)#",
							"dataValueType": 8
						},
						{
							"id": "facf8275-7e52-532a-bdc4-24c689580525",
							"code": "PDS_UsrCurrency",
							"path": "UsrCurrency",
							"caption": "#ResourceString(PDS_UsrCurrency)#",
							"dataValueType": 10,
							"referenceSchemaName": "Currency"
						},
						{
							"id": "5670d80c-f002-576d-bb0a-216ee285b303",
							"code": "PDS_UsrTotal",
							"path": "UsrTotal",
							"caption": "#ResourceString(PDS_UsrTotal)#",
							"dataValueType": 6
						},
						{
							"id": "673b64cf-5675-5a7a-be0d-8d4dafb206d3",
							"code": "PDS_UsrPaid",
							"path": "UsrPaid",
							"caption": "#ResourceString(PDS_UsrPaid)#",
							"dataValueType": 6
						},
						{
							"id": "0268c2fc-1604-5433-abde-1b82be439a96",
							"code": "PDS_UsrDue",
							"path": "UsrDue",
							"caption": "#ResourceString(PDS_UsrDue)#",
							"dataValueType": 6
						},
						{
							"id": "d419ac19-811c-5d27-9eb5-18f9f430d15e",
							"code": "PDS_UsrState",
							"path": "UsrState",
							"caption": "#ResourceString(PDS_UsrState)#",
							"dataValueType": 1
						},
						{
							"id": "72234708-3c71-5a4f-93e5-27bea152ce9b",
							"code": "PDS_UsrDocumentType",
							"path": "UsrDocumentType",
							"caption": "#ResourceString(PDS_UsrDocumentType)#",
							"dataValueType": 1
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
					"PDS_UsrDueDate": {
						"modelConfig": {
							"path": "PDS.UsrDueDate"
						}
					},
					"PDS_UsrCurrency": {
						"modelConfig": {
							"path": "PDS.UsrCurrency"
						}
					},
					"PDS_UsrTotal": {
						"modelConfig": {
							"path": "PDS.UsrTotal"
						}
					},
					"PDS_UsrPaid": {
						"modelConfig": {
							"path": "PDS.UsrPaid"
						}
					},
					"PDS_UsrDue": {
						"modelConfig": {
							"path": "PDS.UsrDue"
						}
					},
					"PDS_UsrState": {
						"modelConfig": {
							"path": "PDS.UsrState"
						}
					},
					"PDS_UsrDocumentType": {
						"modelConfig": {
							"path": "PDS.UsrDocumentType"
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
								"entitySchemaName": "UsrIntacctInvoice",
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
									},
									"UsrDocumentType": {
										"path": "UsrDocumentType"
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
