-- index IX_account_churn_risk
CREATE INDEX "IX_account_churn_risk" ON "account" ("churn_risk") WHERE "deleted_at" IS NULL;

-- index IX_account_in_pool
CREATE INDEX "IX_account_in_pool" ON "account" ("in_pool") WHERE "deleted_at" IS NULL;

-- index IX_account_lifecycle_stage
CREATE INDEX "IX_account_lifecycle_stage" ON "account" ("lifecycle_stage") WHERE "deleted_at" IS NULL;

-- index IX_account_name_key
CREATE INDEX "IX_account_name_key" ON "account" ("name_key") WHERE "deleted_at" IS NULL;

-- index IX_account_owner_id
CREATE INDEX "IX_account_owner_id" ON "account" ("owner_id");

-- index IX_account_rfm_score
CREATE INDEX "IX_account_rfm_score" ON "account" ("rfm_score") WHERE "deleted_at" IS NULL;

-- index IX_account_rfm_segment
CREATE INDEX "IX_account_rfm_segment" ON "account" ("rfm_segment") WHERE "deleted_at" IS NULL;

-- index IX_activity_account_id
CREATE INDEX "IX_activity_account_id" ON "activity" ("account_id");

-- index IX_activity_contact_id
CREATE INDEX "IX_activity_contact_id" ON "activity" ("contact_id");

-- index IX_activity_lead_id
CREATE INDEX "IX_activity_lead_id" ON "activity" ("lead_id");

-- index IX_activity_opportunity_id
CREATE INDEX "IX_activity_opportunity_id" ON "activity" ("opportunity_id");

-- index IX_activity_owner_id
CREATE INDEX "IX_activity_owner_id" ON "activity" ("owner_id");

-- index IX_activity_type
CREATE INDEX "IX_activity_type" ON "activity" ("type") WHERE "deleted_at" IS NULL;

-- index IX_commission_order_id
CREATE INDEX "IX_commission_order_id" ON "commission" ("order_id");

-- index IX_commission_owner_id
CREATE INDEX "IX_commission_owner_id" ON "commission" ("owner_id");

-- index IX_commission_payment_id
CREATE INDEX "IX_commission_payment_id" ON "commission" ("payment_id");

-- index IX_commission_status
CREATE INDEX "IX_commission_status" ON "commission" ("status") WHERE "deleted_at" IS NULL;

-- index IX_contact_account_id
CREATE INDEX "IX_contact_account_id" ON "contact" ("account_id");

-- index IX_contact_email
CREATE INDEX "IX_contact_email" ON "contact" ("email") WHERE "deleted_at" IS NULL;

-- index IX_contact_owner_id
CREATE INDEX "IX_contact_owner_id" ON "contact" ("owner_id");

-- index IX_contact_phone_key
CREATE INDEX "IX_contact_phone_key" ON "contact" ("phone_key") WHERE "deleted_at" IS NULL;

-- index IX_contract_account_id
CREATE INDEX "IX_contract_account_id" ON "contract" ("account_id");

-- index IX_contract_approval_contract_id
CREATE INDEX "IX_contract_approval_contract_id" ON "contract_approval" ("contract_id");

-- index IX_contract_approval_owner_id
CREATE INDEX "IX_contract_approval_owner_id" ON "contract_approval" ("owner_id");

-- index IX_contract_opportunity_id
CREATE INDEX "IX_contract_opportunity_id" ON "contract" ("opportunity_id");

-- index IX_contract_owner_id
CREATE INDEX "IX_contract_owner_id" ON "contract" ("owner_id");

-- index IX_contract_quote_id
CREATE INDEX "IX_contract_quote_id" ON "contract" ("quote_id");

-- index IX_contract_status
CREATE INDEX "IX_contract_status" ON "contract" ("status") WHERE "deleted_at" IS NULL;

-- index IX_crm_approval_delegation_delegate_id
CREATE INDEX "IX_crm_approval_delegation_delegate_id" ON "crm_approval_delegation" ("delegate_id");

-- index IX_crm_approval_event_entity_record_id_at
CREATE INDEX "IX_crm_approval_event_entity_record_id_at" ON "crm_approval_event" ("entity", "record_id", "at");

-- index IX_crm_approval_process_name
CREATE UNIQUE INDEX "IX_crm_approval_process_name" ON "crm_approval_process" ("name");

-- index IX_crm_approval_request_entity_record_id
CREATE INDEX "IX_crm_approval_request_entity_record_id" ON "crm_approval_request" ("entity", "record_id");

-- index IX_crm_approval_request_open_key
CREATE UNIQUE INDEX "IX_crm_approval_request_open_key" ON "crm_approval_request" ("open_key");

-- index IX_crm_approval_task_approver_id_outcome
CREATE INDEX "IX_crm_approval_task_approver_id_outcome" ON "crm_approval_task" ("approver_id", "outcome");

-- index IX_crm_approval_task_request_id_step
CREATE INDEX "IX_crm_approval_task_request_id_step" ON "crm_approval_task" ("request_id", "step");

-- index IX_crm_audit_entity_record_id_version
CREATE INDEX "IX_crm_audit_entity_record_id_version" ON "crm_audit" ("entity", "record_id", "version");

-- index IX_crm_dashboard_folder
CREATE INDEX "IX_crm_dashboard_folder" ON "crm_dashboard" ("folder");

-- index IX_crm_document_template_name_language
CREATE UNIQUE INDEX "IX_crm_document_template_name_language" ON "crm_document_template" ("name", "language");

-- index IX_crm_duplicate_job_created_at
CREATE INDEX "IX_crm_duplicate_job_created_at" ON "crm_duplicate_job" ("created_at");

-- index IX_crm_duplicate_key_rule_id_key
CREATE INDEX "IX_crm_duplicate_key_rule_id_key" ON "crm_duplicate_key" ("rule_id", "key");

-- index IX_crm_duplicate_rule_entity
CREATE INDEX "IX_crm_duplicate_rule_entity" ON "crm_duplicate_rule" ("entity");

-- index IX_crm_duplicate_set_rule_id_status_key
CREATE INDEX "IX_crm_duplicate_set_rule_id_status_key" ON "crm_duplicate_set" ("rule_id", "status", "key");

-- index IX_crm_external_user_organization_entity_organization_id
CREATE INDEX "IX_crm_external_user_organization_entity_organization_id" ON "crm_external_user" ("organization_entity", "organization_id");

-- index IX_crm_file_entity_record_id
CREATE INDEX "IX_crm_file_entity_record_id" ON "crm_file" ("entity", "record_id");

-- index IX_crm_import_job_created_at
CREATE INDEX "IX_crm_import_job_created_at" ON "crm_import_job" ("created_at");

-- index IX_crm_inbound_message_message_key
CREATE UNIQUE INDEX "IX_crm_inbound_message_message_key" ON "crm_inbound_message" ("message_key");

-- index IX_crm_inbound_message_received_at
CREATE INDEX "IX_crm_inbound_message_received_at" ON "crm_inbound_message" ("received_at");

-- index IX_crm_message_channel_sent_at
CREATE INDEX "IX_crm_message_channel_sent_at" ON "crm_message" ("channel", "sent_at");

-- index IX_crm_message_entity_record_id_created_at
CREATE INDEX "IX_crm_message_entity_record_id_created_at" ON "crm_message" ("entity", "record_id", "created_at");

-- index IX_crm_message_status_next_attempt_at
CREATE INDEX "IX_crm_message_status_next_attempt_at" ON "crm_message" ("status", "next_attempt_at");

-- index IX_crm_message_template_name_language
CREATE UNIQUE INDEX "IX_crm_message_template_name_language" ON "crm_message_template" ("name", "language");

-- index IX_crm_notification_user_id_at
CREATE INDEX "IX_crm_notification_user_id_at" ON "crm_notification" ("user_id", "at");

-- index IX_crm_outbox_changes
CREATE INDEX "IX_crm_outbox_changes" ON "crm_outbox" ("entity", "xid", "seq");

-- index IX_crm_outbox_pending
CREATE INDEX "IX_crm_outbox_pending" ON "crm_outbox" ("seq") WHERE processed_at IS NULL;

-- index IX_crm_plugin_job_run_plugin_id_job_started_at
CREATE INDEX "IX_crm_plugin_job_run_plugin_id_job_started_at" ON "crm_plugin_job_run" ("plugin_id", "job", "started_at");

-- index IX_crm_plugin_job_run_started_at
CREATE INDEX "IX_crm_plugin_job_run_started_at" ON "crm_plugin_job_run" ("started_at");

-- index IX_crm_record_share_entity_record_id
CREATE INDEX "IX_crm_record_share_entity_record_id" ON "crm_record_share" ("entity", "record_id");

-- index IX_crm_record_share_principal_id_entity_record_id
CREATE UNIQUE INDEX "IX_crm_record_share_principal_id_entity_record_id" ON "crm_record_share" ("principal_id", "entity", "record_id");

-- index IX_crm_report_folder
CREATE INDEX "IX_crm_report_folder" ON "crm_report" ("folder");

-- index IX_crm_report_owner_id_name
CREATE INDEX "IX_crm_report_owner_id_name" ON "crm_report" ("owner_id", "name");

-- index IX_crm_report_subscription_next_run_at
CREATE INDEX "IX_crm_report_subscription_next_run_at" ON "crm_report_subscription" ("next_run_at");

-- index IX_crm_report_subscription_report_id
CREATE INDEX "IX_crm_report_subscription_report_id" ON "crm_report_subscription" ("report_id");

-- index IX_crm_rule_event_done_at
CREATE INDEX "IX_crm_rule_event_done_at" ON "crm_rule_event_done" ("at");

-- index IX_crm_rule_name
CREATE UNIQUE INDEX "IX_crm_rule_name" ON "crm_rule" ("name") WHERE deleted_at IS NULL;

-- index IX_crm_rule_run_at
CREATE INDEX "IX_crm_rule_run_at" ON "crm_rule_run" ("at");

-- index IX_crm_rule_run_rule_id_at
CREATE INDEX "IX_crm_rule_run_rule_id_at" ON "crm_rule_run" ("rule_id", "at");

-- index IX_crm_security_log_at
CREATE INDEX "IX_crm_security_log_at" ON "crm_security_log" ("at");

-- index IX_crm_team_name
CREATE UNIQUE INDEX "IX_crm_team_name" ON "crm_team" ("name");

-- index IX_crm_used_link_expires_at
CREATE INDEX "IX_crm_used_link_expires_at" ON "crm_used_link" ("expires_at");

-- index IX_crm_user_email
CREATE UNIQUE INDEX "IX_crm_user_email" ON "crm_user" ("email");

-- index IX_crm_user_external_id
CREATE UNIQUE INDEX "IX_crm_user_external_id" ON "crm_user" ("external_id");

-- index IX_crm_webhook_delivery_status_next_attempt_at
CREATE INDEX "IX_crm_webhook_delivery_status_next_attempt_at" ON "crm_webhook_delivery" ("status", "next_attempt_at");

-- index IX_crm_webhook_delivery_webhook_id_created_at
CREATE INDEX "IX_crm_webhook_delivery_webhook_id_created_at" ON "crm_webhook_delivery" ("webhook_id", "created_at");

-- index IX_crm_webhook_delivery_webhook_id_outbox_seq
CREATE UNIQUE INDEX "IX_crm_webhook_delivery_webhook_id_outbox_seq" ON "crm_webhook_delivery" ("webhook_id", "outbox_seq");

-- index IX_crm_webhook_entity
CREATE INDEX "IX_crm_webhook_entity" ON "crm_webhook" ("entity");

-- index IX_lead_account_id
CREATE INDEX "IX_lead_account_id" ON "lead" ("account_id");

-- index IX_lead_capture_account_id
CREATE INDEX "IX_lead_capture_account_id" ON "lead_capture" ("account_id");

-- index IX_lead_capture_lead_id
CREATE INDEX "IX_lead_capture_lead_id" ON "lead_capture" ("lead_id");

-- index IX_lead_capture_outcome
CREATE INDEX "IX_lead_capture_outcome" ON "lead_capture" ("outcome") WHERE "deleted_at" IS NULL;

-- index IX_lead_capture_owner_id
CREATE INDEX "IX_lead_capture_owner_id" ON "lead_capture" ("owner_id");

-- index IX_lead_company_key
CREATE INDEX "IX_lead_company_key" ON "lead" ("company_key") WHERE "deleted_at" IS NULL;

-- index IX_lead_conversion_score
CREATE INDEX "IX_lead_conversion_score" ON "lead" ("conversion_score") WHERE "deleted_at" IS NULL;

-- index IX_lead_converted_account_id
CREATE INDEX "IX_lead_converted_account_id" ON "lead" ("converted_account_id");

-- index IX_lead_converted_contact_id
CREATE INDEX "IX_lead_converted_contact_id" ON "lead" ("converted_contact_id");

-- index IX_lead_converted_opportunity_id
CREATE INDEX "IX_lead_converted_opportunity_id" ON "lead" ("converted_opportunity_id");

-- index IX_lead_duplicate_of_id
CREATE INDEX "IX_lead_duplicate_of_id" ON "lead" ("duplicate_of_id");

-- index IX_lead_email
CREATE INDEX "IX_lead_email" ON "lead" ("email") WHERE "deleted_at" IS NULL;

-- index IX_lead_owner_id
CREATE INDEX "IX_lead_owner_id" ON "lead" ("owner_id");

-- index IX_lead_phone_key
CREATE INDEX "IX_lead_phone_key" ON "lead" ("phone_key") WHERE "deleted_at" IS NULL;

-- index IX_lead_related_lead_id
CREATE INDEX "IX_lead_related_lead_id" ON "lead" ("related_lead_id");

-- index IX_lead_source
CREATE INDEX "IX_lead_source" ON "lead" ("source") WHERE "deleted_at" IS NULL;

-- index IX_lead_status
CREATE INDEX "IX_lead_status" ON "lead" ("status") WHERE "deleted_at" IS NULL;

-- index IX_opportunity_account_id
CREATE INDEX "IX_opportunity_account_id" ON "opportunity" ("account_id");

-- index IX_opportunity_contact_id
CREATE INDEX "IX_opportunity_contact_id" ON "opportunity" ("contact_id");

-- index IX_opportunity_expected_close_date
CREATE INDEX "IX_opportunity_expected_close_date" ON "opportunity" ("expected_close_date") WHERE "deleted_at" IS NULL;

-- index IX_opportunity_owner_id
CREATE INDEX "IX_opportunity_owner_id" ON "opportunity" ("owner_id");

-- index IX_opportunity_pipeline_id
CREATE INDEX "IX_opportunity_pipeline_id" ON "opportunity" ("pipeline_id");

-- index IX_opportunity_stage_id
CREATE INDEX "IX_opportunity_stage_id" ON "opportunity" ("stage_id");

-- index IX_opportunity_status
CREATE INDEX "IX_opportunity_status" ON "opportunity" ("status") WHERE "deleted_at" IS NULL;

-- index IX_order_account_id
CREATE INDEX "IX_order_account_id" ON "order" ("account_id");

-- index IX_order_contact_id
CREATE INDEX "IX_order_contact_id" ON "order" ("contact_id");

-- index IX_order_contract_id
CREATE INDEX "IX_order_contract_id" ON "order" ("contract_id");

-- index IX_order_line_order_id
CREATE INDEX "IX_order_line_order_id" ON "order_line" ("order_id");

-- index IX_order_line_owner_id
CREATE INDEX "IX_order_line_owner_id" ON "order_line" ("owner_id");

-- index IX_order_line_product_id
CREATE INDEX "IX_order_line_product_id" ON "order_line" ("product_id");

-- index IX_order_opportunity_id
CREATE INDEX "IX_order_opportunity_id" ON "order" ("opportunity_id");

-- index IX_order_order_date
CREATE INDEX "IX_order_order_date" ON "order" ("order_date") WHERE "deleted_at" IS NULL;

-- index IX_order_owner_id
CREATE INDEX "IX_order_owner_id" ON "order" ("owner_id");

-- index IX_order_quote_id
CREATE INDEX "IX_order_quote_id" ON "order" ("quote_id");

-- index IX_order_status
CREATE INDEX "IX_order_status" ON "order" ("status") WHERE "deleted_at" IS NULL;

-- index IX_payment_account_id
CREATE INDEX "IX_payment_account_id" ON "payment" ("account_id");

-- index IX_payment_order_id
CREATE INDEX "IX_payment_order_id" ON "payment" ("order_id");

-- index IX_payment_owner_id
CREATE INDEX "IX_payment_owner_id" ON "payment" ("owner_id");

-- index IX_payment_plan_account_id
CREATE INDEX "IX_payment_plan_account_id" ON "payment_plan" ("account_id");

-- index IX_payment_plan_due_date
CREATE INDEX "IX_payment_plan_due_date" ON "payment_plan" ("due_date") WHERE "deleted_at" IS NULL;

-- index IX_payment_plan_order_id
CREATE INDEX "IX_payment_plan_order_id" ON "payment_plan" ("order_id");

-- index IX_payment_plan_owner_id
CREATE INDEX "IX_payment_plan_owner_id" ON "payment_plan" ("owner_id");

-- index IX_payment_plan_status
CREATE INDEX "IX_payment_plan_status" ON "payment_plan" ("status") WHERE "deleted_at" IS NULL;

-- index IX_payment_received_on
CREATE INDEX "IX_payment_received_on" ON "payment" ("received_on") WHERE "deleted_at" IS NULL;

-- index IX_pipeline_name
CREATE UNIQUE INDEX "IX_pipeline_name" ON "pipeline" ("name") WHERE "deleted_at" IS NULL;

-- index IX_pipeline_owner_id
CREATE INDEX "IX_pipeline_owner_id" ON "pipeline" ("owner_id");

-- index IX_pool_move_account_id
CREATE INDEX "IX_pool_move_account_id" ON "pool_move" ("account_id");

-- index IX_pool_move_action
CREATE INDEX "IX_pool_move_action" ON "pool_move" ("action") WHERE "deleted_at" IS NULL;

-- index IX_pool_move_owner_id
CREATE INDEX "IX_pool_move_owner_id" ON "pool_move" ("owner_id");

-- index IX_prediction_model_kind
CREATE UNIQUE INDEX "IX_prediction_model_kind" ON "prediction_model" ("kind") WHERE "deleted_at" IS NULL;

-- index IX_prediction_model_owner_id
CREATE INDEX "IX_prediction_model_owner_id" ON "prediction_model" ("owner_id");

-- index IX_price_list_item_owner_id
CREATE INDEX "IX_price_list_item_owner_id" ON "price_list_item" ("owner_id");

-- index IX_price_list_item_price_list_id
CREATE INDEX "IX_price_list_item_price_list_id" ON "price_list_item" ("price_list_id");

-- index IX_price_list_item_product_id
CREATE INDEX "IX_price_list_item_product_id" ON "price_list_item" ("product_id");

-- index IX_price_list_name
CREATE UNIQUE INDEX "IX_price_list_name" ON "price_list" ("name") WHERE "deleted_at" IS NULL;

-- index IX_price_list_owner_id
CREATE INDEX "IX_price_list_owner_id" ON "price_list" ("owner_id");

-- index IX_product_code
CREATE UNIQUE INDEX "IX_product_code" ON "product" ("code") WHERE "deleted_at" IS NULL;

-- index IX_product_owner_id
CREATE INDEX "IX_product_owner_id" ON "product" ("owner_id");

-- index IX_quote_account_id
CREATE INDEX "IX_quote_account_id" ON "quote" ("account_id");

-- index IX_quote_contact_id
CREATE INDEX "IX_quote_contact_id" ON "quote" ("contact_id");

-- index IX_quote_line_owner_id
CREATE INDEX "IX_quote_line_owner_id" ON "quote_line" ("owner_id");

-- index IX_quote_line_product_id
CREATE INDEX "IX_quote_line_product_id" ON "quote_line" ("product_id");

-- index IX_quote_line_quote_id
CREATE INDEX "IX_quote_line_quote_id" ON "quote_line" ("quote_id");

-- index IX_quote_opportunity_id
CREATE INDEX "IX_quote_opportunity_id" ON "quote" ("opportunity_id");

-- index IX_quote_owner_id
CREATE INDEX "IX_quote_owner_id" ON "quote" ("owner_id");

-- index IX_quote_previous_revision_id
CREATE INDEX "IX_quote_previous_revision_id" ON "quote" ("previous_revision_id");

-- index IX_quote_price_list_id
CREATE INDEX "IX_quote_price_list_id" ON "quote" ("price_list_id");

-- index IX_quote_status
CREATE INDEX "IX_quote_status" ON "quote" ("status") WHERE "deleted_at" IS NULL;

-- index IX_sales_rep_owner_id
CREATE INDEX "IX_sales_rep_owner_id" ON "sales_rep" ("owner_id");

-- index IX_sales_settings_owner_id
CREATE INDEX "IX_sales_settings_owner_id" ON "sales_settings" ("owner_id");

-- index IX_stage_history_opportunity_id
CREATE INDEX "IX_stage_history_opportunity_id" ON "stage_history" ("opportunity_id");

-- index IX_stage_history_owner_id
CREATE INDEX "IX_stage_history_owner_id" ON "stage_history" ("owner_id");

-- index IX_stage_history_stage_id
CREATE INDEX "IX_stage_history_stage_id" ON "stage_history" ("stage_id");

-- index IX_stage_owner_id
CREATE INDEX "IX_stage_owner_id" ON "stage" ("owner_id");

-- index IX_stage_pipeline_id
CREATE INDEX "IX_stage_pipeline_id" ON "stage" ("pipeline_id");

-- index IX_target_owner_id
CREATE INDEX "IX_target_owner_id" ON "target" ("owner_id");

-- index IX_target_period_start
CREATE INDEX "IX_target_period_start" ON "target" ("period_start") WHERE "deleted_at" IS NULL;

-- table account
CREATE TABLE "account" (
    "id" TEXT NOT NULL CONSTRAINT "PK_account" PRIMARY KEY,
    "address" TEXT NULL,
    "churn_factors" TEXT NULL,
    "churn_risk" INTEGER NULL,
    "city" TEXT NULL,
    "classification" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "customer_since" TEXT NULL,
    "deleted_at" TEXT NULL,
    "description" TEXT NULL,
    "email" TEXT NULL,
    "idle_reminded_at" TEXT NULL,
    "in_pool" INTEGER NULL,
    "industry" TEXT NULL,
    "last_deal_progress_at" TEXT NULL,
    "last_follow_up_at" TEXT NULL,
    "last_order_on" TEXT NULL,
    "lifecycle_stage" TEXT NULL,
    "name" TEXT NULL,
    "name_key" TEXT NULL,
    "next_follow_up_at" TEXT NULL,
    "owned_since" TEXT NULL,
    "owner_id" TEXT NULL,
    "phone" TEXT NULL,
    "pool_entered_at" TEXT NULL,
    "pool_reason" TEXT NULL,
    "province" TEXT NULL,
    "rfm_frequency" INTEGER NULL,
    "rfm_monetary" INTEGER NULL,
    "rfm_recency" INTEGER NULL,
    "rfm_score" TEXT NULL,
    "rfm_scored_on" TEXT NULL,
    "rfm_segment" TEXT NULL,
    "source" TEXT NULL,
    "tags" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    "website" TEXT NULL
);

-- table activity
CREATE TABLE "activity" (
    "id" TEXT NOT NULL CONSTRAINT "PK_activity" PRIMARY KEY,
    "account_id" TEXT NULL,
    "contact_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "lead_id" TEXT NULL,
    "next_contact_at" TEXT NULL,
    "notes" TEXT NULL,
    "occurred_at" TEXT NULL,
    "opportunity_id" TEXT NULL,
    "owner_id" TEXT NULL,
    "status" TEXT NULL,
    "subject" TEXT NULL,
    "type" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_activity_account_account_id" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_activity_contact_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_activity_lead_lead_id" FOREIGN KEY ("lead_id") REFERENCES "lead" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_activity_opportunity_opportunity_id" FOREIGN KEY ("opportunity_id") REFERENCES "opportunity" ("id") ON DELETE RESTRICT
);

-- table commission
CREATE TABLE "commission" (
    "id" TEXT NOT NULL CONSTRAINT "PK_commission" PRIMARY KEY,
    "amount" TEXT NULL,
    "amount_currency" TEXT NULL,
    "base_amount" TEXT NULL,
    "base_amount_currency" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "kind" TEXT NULL,
    "note" TEXT NULL,
    "order_id" TEXT NULL,
    "owner_id" TEXT NULL,
    "payment_id" TEXT NULL,
    "rate" TEXT NULL,
    "status" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_commission_order_order_id" FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_commission_payment_payment_id" FOREIGN KEY ("payment_id") REFERENCES "payment" ("id") ON DELETE RESTRICT
);

-- table contact
CREATE TABLE "contact" (
    "id" TEXT NOT NULL CONSTRAINT "PK_contact" PRIMARY KEY,
    "account_id" TEXT NULL,
    "birthday" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "department" TEXT NULL,
    "description" TEXT NULL,
    "email" TEXT NULL,
    "is_primary" INTEGER NULL,
    "name" TEXT NULL,
    "owner_id" TEXT NULL,
    "phone" TEXT NULL,
    "phone_key" TEXT NULL,
    "title" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    "wechat" TEXT NULL,
    CONSTRAINT "FK_contact_account_account_id" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT
);

-- table contract
CREATE TABLE "contract" (
    "id" TEXT NOT NULL CONSTRAINT "PK_contract" PRIMARY KEY,
    "account_id" TEXT NULL,
    "amount" TEXT NULL,
    "amount_currency" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "decided_at" TEXT NULL,
    "decision_comment" TEXT NULL,
    "deleted_at" TEXT NULL,
    "document" TEXT NULL,
    "end_date" TEXT NULL,
    "name" TEXT NULL,
    "number" TEXT NULL,
    "opportunity_id" TEXT NULL,
    "owner_id" TEXT NULL,
    "quote_id" TEXT NULL,
    "signed_on" TEXT NULL,
    "start_date" TEXT NULL,
    "status" TEXT NULL,
    "submitted_at" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_contract_account_account_id" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_contract_opportunity_opportunity_id" FOREIGN KEY ("opportunity_id") REFERENCES "opportunity" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_contract_quote_quote_id" FOREIGN KEY ("quote_id") REFERENCES "quote" ("id") ON DELETE RESTRICT
);

-- table contract_approval
CREATE TABLE "contract_approval" (
    "id" TEXT NOT NULL CONSTRAINT "PK_contract_approval" PRIMARY KEY,
    "action" TEXT NULL,
    "at" TEXT NULL,
    "comment" TEXT NULL,
    "contract_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "owner_id" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_contract_approval_contract_contract_id" FOREIGN KEY ("contract_id") REFERENCES "contract" ("id") ON DELETE RESTRICT
);

-- table crm_approval_delegation
CREATE TABLE "crm_approval_delegation" (
    "user_id" TEXT NOT NULL CONSTRAINT "PK_crm_approval_delegation" PRIMARY KEY,
    "delegate_id" TEXT NOT NULL,
    "from" TEXT NOT NULL,
    "until" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);

-- table crm_approval_event
CREATE TABLE "crm_approval_event" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_approval_event" PRIMARY KEY,
    "request_id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "entity" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "step" INTEGER NULL,
    "step_name" TEXT NULL,
    "actor_id" TEXT NOT NULL,
    "on_behalf_of" TEXT NULL,
    "comment" TEXT NULL
);

-- table crm_approval_process
CREATE TABLE "crm_approval_process" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_approval_process" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "active" INTEGER NOT NULL,
    "definition" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_approval_request
CREATE TABLE "crm_approval_request" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_approval_request" PRIMARY KEY,
    "process" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "step_name" TEXT NULL,
    "submitted_by" TEXT NOT NULL,
    "submitted_at" TEXT NOT NULL,
    "comment" TEXT NULL,
    "decided_at" TEXT NULL,
    "open_key" TEXT NULL,
    "event_count" INTEGER NOT NULL,
    "version" INTEGER NOT NULL
);

-- table crm_approval_task
CREATE TABLE "crm_approval_task" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_approval_task" PRIMARY KEY,
    "request_id" TEXT NOT NULL,
    "step" INTEGER NOT NULL,
    "approver_id" TEXT NOT NULL,
    "outcome" TEXT NULL,
    "created_at" TEXT NOT NULL
);

-- table crm_audit
CREATE TABLE "crm_audit" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_audit" PRIMARY KEY,
    "entity" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "at" TEXT NOT NULL,
    "actor" TEXT NULL,
    "changes" TEXT NOT NULL,
    "cause" TEXT NULL
);

-- table crm_dashboard
CREATE TABLE "crm_dashboard" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_dashboard" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "folder" TEXT NULL,
    "report_ids" TEXT NOT NULL,
    "sharing" TEXT NOT NULL,
    "owner_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_document_template
CREATE TABLE "crm_document_template" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_document_template" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "content" BLOB NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_duplicate_job
CREATE TABLE "crm_duplicate_job" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_duplicate_job" PRIMARY KEY,
    "rule_id" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "finds_sets" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "records_total" INTEGER NOT NULL,
    "records_read" INTEGER NOT NULL,
    "sets_found" INTEGER NOT NULL,
    "error_code" TEXT NULL,
    "error_message" TEXT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "started_at" TEXT NULL,
    "heartbeat_at" TEXT NULL,
    "finished_at" TEXT NULL
);

-- table crm_duplicate_key
CREATE TABLE "crm_duplicate_key" (
    "rule_id" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    CONSTRAINT "PK_crm_duplicate_key" PRIMARY KEY ("rule_id", "record_id")
);

-- table crm_duplicate_rule
CREATE TABLE "crm_duplicate_rule" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_duplicate_rule" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "active" INTEGER NOT NULL,
    "on_create" TEXT NOT NULL,
    "on_update" TEXT NOT NULL,
    "conditions" TEXT NOT NULL,
    "keys_ready" INTEGER NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_duplicate_set
CREATE TABLE "crm_duplicate_set" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_duplicate_set" PRIMARY KEY,
    "rule_id" TEXT NOT NULL,
    "job_id" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "record_ids" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "dismissed_by" TEXT NULL,
    "dismissed_at" TEXT NULL,
    "created_at" TEXT NOT NULL
);

-- table crm_external_user
CREATE TABLE "crm_external_user" (
    "user_id" TEXT NOT NULL CONSTRAINT "PK_crm_external_user" PRIMARY KEY,
    "organization_entity" TEXT NOT NULL,
    "organization_id" TEXT NOT NULL
);

-- table crm_file
CREATE TABLE "crm_file" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_file" PRIMARY KEY,
    "tenant_id" TEXT NOT NULL,
    "entity" TEXT NULL,
    "record_id" TEXT NULL,
    "field" TEXT NULL,
    "name" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "deleted_at" TEXT NULL
);

-- table crm_import_error
CREATE TABLE "crm_import_error" (
    "job_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "row_number" INTEGER NOT NULL,
    "column_name" TEXT NULL,
    "code" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "cells" TEXT NULL,
    CONSTRAINT "PK_crm_import_error" PRIMARY KEY ("job_id", "seq")
);

-- table crm_import_job
CREATE TABLE "crm_import_job" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_import_job" PRIMARY KEY,
    "entity" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "upsert_by" TEXT NULL,
    "dry_run" INTEGER NOT NULL,
    "options" TEXT NULL,
    "file_name" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "file_bytes" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "claimed_by" TEXT NOT NULL,
    "rows_read" INTEGER NOT NULL,
    "rows_created" INTEGER NOT NULL,
    "rows_updated" INTEGER NOT NULL,
    "rows_refused" INTEGER NOT NULL,
    "headers" TEXT NULL,
    "unmapped_columns" TEXT NULL,
    "error_code" TEXT NULL,
    "error_message" TEXT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "started_at" TEXT NULL,
    "heartbeat_at" TEXT NULL,
    "finished_at" TEXT NULL
);

-- table crm_inbound_message
CREATE TABLE "crm_inbound_message" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_inbound_message" PRIMARY KEY,
    "message_key" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "from_address" TEXT NOT NULL,
    "delivered_to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "in_reply_to" TEXT NULL,
    "references" TEXT NULL,
    "size" INTEGER NOT NULL,
    "attachments" INTEGER NOT NULL,
    "handler_errors" TEXT NULL,
    "handlers" INTEGER NOT NULL,
    "received_at" TEXT NOT NULL
);

-- table crm_inbound_settings
CREATE TABLE "crm_inbound_settings" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_crm_inbound_settings" PRIMARY KEY,
    "domains" TEXT NOT NULL,
    "addresses" TEXT NOT NULL,
    "imap_enabled" INTEGER NOT NULL,
    "imap_host" TEXT NULL,
    "imap_port" INTEGER NULL,
    "imap_tls_mode" TEXT NULL,
    "imap_username" TEXT NULL,
    "imap_secret" TEXT NULL,
    "imap_folder" TEXT NOT NULL,
    "imap_uid_validity" INTEGER NOT NULL,
    "imap_last_uid" INTEGER NOT NULL,
    "imap_polled_at" TEXT NULL,
    "imap_error" TEXT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_merge
CREATE TABLE "crm_merge" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_merge" PRIMARY KEY,
    "entity" TEXT NOT NULL,
    "master_id" TEXT NOT NULL,
    "at" TEXT NOT NULL,
    "actor" TEXT NULL,
    "plan" TEXT NOT NULL,
    "undone_at" TEXT NULL
);

-- table crm_merged_record
CREATE TABLE "crm_merged_record" (
    "entity" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "master_id" TEXT NOT NULL,
    "merge_id" TEXT NOT NULL,
    CONSTRAINT "PK_crm_merged_record" PRIMARY KEY ("entity", "record_id")
);

-- table crm_message
CREATE TABLE "crm_message" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_message" PRIMARY KEY,
    "channel" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "template" TEXT NULL,
    "language" TEXT NOT NULL,
    "subject" TEXT NULL,
    "html" TEXT NULL,
    "text" TEXT NOT NULL,
    "attachments" TEXT NULL,
    "headers" TEXT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NULL,
    "last_error" TEXT NULL,
    "provider_id" TEXT NULL,
    "sent_at" TEXT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL
);

-- table crm_message_channel
CREATE TABLE "crm_message_channel" (
    "channel" TEXT NOT NULL CONSTRAINT "PK_crm_message_channel" PRIMARY KEY,
    "enabled" INTEGER NOT NULL,
    "host" TEXT NULL,
    "port" INTEGER NULL,
    "tls_mode" TEXT NULL,
    "username" TEXT NULL,
    "secret" TEXT NULL,
    "from_address" TEXT NULL,
    "url" TEXT NULL,
    "body_template" TEXT NULL,
    "daily_cap" INTEGER NOT NULL,
    "per_second" INTEGER NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_message_template
CREATE TABLE "crm_message_template" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_message_template" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "subject" TEXT NULL,
    "body" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_metadata_change
CREATE TABLE "crm_metadata_change" (
    "version" INTEGER NOT NULL CONSTRAINT "PK_crm_metadata_change" PRIMARY KEY,
    "at" TEXT NOT NULL,
    "actor" TEXT NULL,
    "summary" TEXT NOT NULL
);

-- table crm_metadata_entity
CREATE TABLE "crm_metadata_entity" (
    "name" TEXT NOT NULL CONSTRAINT "PK_crm_metadata_entity" PRIMARY KEY,
    "definition" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_metadata_state
CREATE TABLE "crm_metadata_state" (
    "id" INTEGER NOT NULL CONSTRAINT "PK_crm_metadata_state" PRIMARY KEY,
    "version" INTEGER NOT NULL,
    "plugins" TEXT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_notification
CREATE TABLE "crm_notification" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_notification" PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "rule_name" TEXT NULL,
    "entity" TEXT NULL,
    "record_id" TEXT NULL,
    "at" TEXT NOT NULL,
    "read_at" TEXT NULL
);

-- table crm_organization_lookup
CREATE TABLE "crm_organization_lookup" (
    "entity" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    CONSTRAINT "PK_crm_organization_lookup" PRIMARY KEY ("entity", "field")
);

-- table crm_outbox
CREATE TABLE "crm_outbox" (
    "seq" INTEGER NOT NULL CONSTRAINT "PK_crm_outbox" PRIMARY KEY AUTOINCREMENT,
    "entity" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "at" TEXT NOT NULL,
    "actor" TEXT NULL,
    "changes" TEXT NOT NULL,
    "depth" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NULL,
    "processed_at" TEXT NULL,
    "handled_by" TEXT NULL,
    "last_error" TEXT NULL,
    "xid" INTEGER NOT NULL
);

-- table crm_plugin_job
CREATE TABLE "crm_plugin_job" (
    "plugin_id" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "last_due_at" TEXT NOT NULL,
    "running_due_at" TEXT NULL,
    CONSTRAINT "PK_crm_plugin_job" PRIMARY KEY ("plugin_id", "job")
);

-- table crm_plugin_job_run
CREATE TABLE "crm_plugin_job_run" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_plugin_job_run" PRIMARY KEY,
    "plugin_id" TEXT NOT NULL,
    "job" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "scheduled_at" TEXT NOT NULL,
    "started_at" TEXT NOT NULL,
    "ended_at" TEXT NULL,
    "outcome" TEXT NOT NULL,
    "error_code" TEXT NULL,
    "error" TEXT NULL,
    "host" TEXT NOT NULL
);

-- table crm_plugin_setting
CREATE TABLE "crm_plugin_setting" (
    "plugin_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "is_protected" INTEGER NOT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    CONSTRAINT "PK_crm_plugin_setting" PRIMARY KEY ("plugin_id", "name")
);

-- table crm_plugin_state
CREATE TABLE "crm_plugin_state" (
    "plugin_id" TEXT NOT NULL CONSTRAINT "PK_crm_plugin_state" PRIMARY KEY,
    "seeded_at" TEXT NULL,
    "upgrade" TEXT NULL,
    "upgrade_checkpoint" TEXT NULL
);

-- table crm_record_share
CREATE TABLE "crm_record_share" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_record_share" PRIMARY KEY,
    "entity" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "principal_id" TEXT NOT NULL,
    "is_team" INTEGER NOT NULL,
    "can_edit" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NOT NULL
);

-- table crm_report
CREATE TABLE "crm_report" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_report" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "folder" TEXT NULL,
    "sharing" TEXT NOT NULL DEFAULT '{"access":"Private","users":[],"teams":[],"roles":[]}',
    "owner_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_report_subscription
CREATE TABLE "crm_report_subscription" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_report_subscription" PRIMARY KEY,
    "report_id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "subscriber_roles" TEXT NOT NULL,
    "recipients" TEXT NOT NULL,
    "formats" TEXT NOT NULL,
    "schedule" TEXT NOT NULL,
    "only_when_rows" INTEGER NOT NULL,
    "active" INTEGER NOT NULL,
    "next_run_at" TEXT NULL,
    "running_due_at" TEXT NULL,
    "last_run_at" TEXT NULL,
    "last_outcome" TEXT NULL,
    "last_error" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_role
CREATE TABLE "crm_role" (
    "name" TEXT NOT NULL CONSTRAINT "PK_crm_role" PRIMARY KEY,
    "definition" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_rule
CREATE TABLE "crm_rule" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_rule" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "current_version" INTEGER NOT NULL,
    "enabled" INTEGER NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,
    "deleted_at" TEXT NULL,
    "next_run_at" TEXT NULL,
    "schedule_tick" INTEGER NOT NULL,
    "running_tick" INTEGER NULL,
    "tick_resume_after" TEXT NULL
);

-- table crm_rule_event_done
CREATE TABLE "crm_rule_event_done" (
    "rule_id" TEXT NOT NULL,
    "outbox_seq" INTEGER NOT NULL,
    "at" TEXT NOT NULL,
    CONSTRAINT "PK_crm_rule_event_done" PRIMARY KEY ("rule_id", "outbox_seq")
);

-- table crm_rule_run
CREATE TABLE "crm_rule_run" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_rule_run" PRIMARY KEY,
    "rule_id" TEXT NULL,
    "rule_name" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "entity" TEXT NOT NULL,
    "record_id" TEXT NULL,
    "trigger" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "error_code" TEXT NULL,
    "error" TEXT NULL,
    "duration_ms" REAL NOT NULL,
    "statements" INTEGER NOT NULL,
    "at" TEXT NOT NULL,
    "log" TEXT NULL
);

-- table crm_rule_version
CREATE TABLE "crm_rule_version" (
    "rule_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "triggers" TEXT NOT NULL,
    "condition" TEXT NULL,
    "script" TEXT NOT NULL,
    "schedule" TEXT NULL,
    "time_zone" TEXT NULL,
    "filter" TEXT NULL,
    "description" TEXT NULL,
    "run_order" INTEGER NOT NULL,
    "author" TEXT NULL,
    "at" TEXT NOT NULL,
    "note" TEXT NULL,
    CONSTRAINT "PK_crm_rule_version" PRIMARY KEY ("rule_id", "version")
);

-- table crm_search
CREATE VIRTUAL TABLE crm_search USING fts5(content, tokenize = 'trigram');

-- table crm_search_config
CREATE TABLE 'crm_search_config'(k PRIMARY KEY, v) WITHOUT ROWID;

-- table crm_search_content
CREATE TABLE 'crm_search_content'(id INTEGER PRIMARY KEY, c0);

-- table crm_search_data
CREATE TABLE 'crm_search_data'(id INTEGER PRIMARY KEY, block BLOB);

-- table crm_search_docsize
CREATE TABLE 'crm_search_docsize'(id INTEGER PRIMARY KEY, sz BLOB);

-- table crm_search_idx
CREATE TABLE 'crm_search_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;

-- table crm_search_key
CREATE TABLE crm_search_key (doc INTEGER PRIMARY KEY, entity TEXT NOT NULL, record_id TEXT NOT NULL, UNIQUE (entity, record_id));

-- table crm_security_log
CREATE TABLE "crm_security_log" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_security_log" PRIMARY KEY,
    "at" TEXT NOT NULL,
    "actor" TEXT NULL,
    "key_id" TEXT NULL,
    "event" TEXT NOT NULL,
    "detail" TEXT NOT NULL
);

-- table crm_sequence
CREATE TABLE "crm_sequence" (
    "name" TEXT NOT NULL CONSTRAINT "PK_crm_sequence" PRIMARY KEY,
    "value" INTEGER NOT NULL
);

-- table crm_setting
CREATE TABLE "crm_setting" (
    "name" TEXT NOT NULL CONSTRAINT "PK_crm_setting" PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_share_inheritance
CREATE TABLE "crm_share_inheritance" (
    "entity" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    CONSTRAINT "PK_crm_share_inheritance" PRIMARY KEY ("entity", "field")
);

-- table crm_system_schema
CREATE TABLE "crm_system_schema" (
    "name" TEXT NOT NULL CONSTRAINT "PK_crm_system_schema" PRIMARY KEY,
    "version" INTEGER NOT NULL
);

-- table crm_team
CREATE TABLE "crm_team" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_team" PRIMARY KEY,
    "name" TEXT NOT NULL,
    "manager_id" TEXT NULL,
    "created_at" TEXT NOT NULL
);

-- table crm_team_member
CREATE TABLE "crm_team_member" (
    "team_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    CONSTRAINT "PK_crm_team_member" PRIMARY KEY ("team_id", "user_id")
);

-- table crm_used_link
CREATE TABLE "crm_used_link" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_used_link" PRIMARY KEY,
    "expires_at" TEXT NOT NULL
);

-- table crm_user
CREATE TABLE "crm_user" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_user" PRIMARY KEY,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "active" INTEGER NOT NULL,
    "external_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_user_role
CREATE TABLE "crm_user_role" (
    "user_id" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    CONSTRAINT "PK_crm_user_role" PRIMARY KEY ("user_id", "role")
);

-- table crm_webhook
CREATE TABLE "crm_webhook" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_webhook" PRIMARY KEY,
    "url" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "filter" TEXT NULL,
    "active" INTEGER NOT NULL,
    "secret" TEXT NOT NULL,
    "consecutive_failures" INTEGER NOT NULL,
    "disabled_reason" TEXT NULL,
    "disabled_at" TEXT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL
);

-- table crm_webhook_delivery
CREATE TABLE "crm_webhook_delivery" (
    "id" TEXT NOT NULL CONSTRAINT "PK_crm_webhook_delivery" PRIMARY KEY,
    "webhook_id" TEXT NOT NULL,
    "outbox_seq" INTEGER NOT NULL,
    "event" TEXT NOT NULL,
    "entity" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "next_attempt_at" TEXT NULL,
    "last_status_code" INTEGER NULL,
    "last_error" TEXT NULL,
    "last_attempt_at" TEXT NULL,
    "delivered_at" TEXT NULL,
    "created_at" TEXT NOT NULL
);

-- table lead
CREATE TABLE "lead" (
    "id" TEXT NOT NULL CONSTRAINT "PK_lead" PRIMARY KEY,
    "account_id" TEXT NULL,
    "assigned_at" TEXT NULL,
    "city" TEXT NULL,
    "company" TEXT NULL,
    "company_key" TEXT NULL,
    "conversion_score" INTEGER NULL,
    "converted_account_id" TEXT NULL,
    "converted_at" TEXT NULL,
    "converted_contact_id" TEXT NULL,
    "converted_opportunity_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "description" TEXT NULL,
    "duplicate_count" INTEGER NULL,
    "duplicate_of_id" TEXT NULL,
    "email" TEXT NULL,
    "grade" TEXT NULL,
    "industry" TEXT NULL,
    "last_activity_at" TEXT NULL,
    "last_captured_at" TEXT NULL,
    "name" TEXT NULL,
    "next_follow_up_at" TEXT NULL,
    "owner_id" TEXT NULL,
    "phone" TEXT NULL,
    "phone_key" TEXT NULL,
    "province" TEXT NULL,
    "related_lead_id" TEXT NULL,
    "score" INTEGER NULL,
    "score_factors" TEXT NULL,
    "source" TEXT NULL,
    "status" TEXT NULL,
    "title" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_lead_account_account_id" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_lead_account_converted_account_id" FOREIGN KEY ("converted_account_id") REFERENCES "account" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_lead_contact_converted_contact_id" FOREIGN KEY ("converted_contact_id") REFERENCES "contact" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_lead_lead_duplicate_of_id" FOREIGN KEY ("duplicate_of_id") REFERENCES "lead" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_lead_lead_related_lead_id" FOREIGN KEY ("related_lead_id") REFERENCES "lead" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_lead_opportunity_converted_opportunity_id" FOREIGN KEY ("converted_opportunity_id") REFERENCES "opportunity" ("id") ON DELETE RESTRICT
);

-- table lead_capture
CREATE TABLE "lead_capture" (
    "id" TEXT NOT NULL CONSTRAINT "PK_lead_capture" PRIMARY KEY,
    "account_id" TEXT NULL,
    "captured_at" TEXT NULL,
    "city" TEXT NULL,
    "company" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "description" TEXT NULL,
    "email" TEXT NULL,
    "industry" TEXT NULL,
    "lead_id" TEXT NULL,
    "matched_on" TEXT NULL,
    "name" TEXT NULL,
    "not_merged" TEXT NULL,
    "outcome" TEXT NULL,
    "owner_id" TEXT NULL,
    "phone" TEXT NULL,
    "province" TEXT NULL,
    "source" TEXT NULL,
    "title" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_lead_capture_account_account_id" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_lead_capture_lead_lead_id" FOREIGN KEY ("lead_id") REFERENCES "lead" ("id") ON DELETE RESTRICT
);

-- table opportunity
CREATE TABLE "opportunity" (
    "id" TEXT NOT NULL CONSTRAINT "PK_opportunity" PRIMARY KEY,
    "account_id" TEXT NULL,
    "amount" TEXT NULL,
    "amount_currency" TEXT NULL,
    "closed_on" TEXT NULL,
    "competitors" TEXT NULL,
    "contact_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "description" TEXT NULL,
    "expected_close_date" TEXT NULL,
    "forecast_category" TEXT NULL,
    "last_activity_at" TEXT NULL,
    "loss_note" TEXT NULL,
    "lost_reason" TEXT NULL,
    "name" TEXT NULL,
    "next_follow_up_at" TEXT NULL,
    "owner_id" TEXT NULL,
    "pipeline_id" TEXT NULL,
    "probability" TEXT NULL,
    "stage_entered_at" TEXT NULL,
    "stage_id" TEXT NULL,
    "status" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    "won_reason" TEXT NULL,
    CONSTRAINT "FK_opportunity_account_account_id" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_opportunity_contact_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_opportunity_pipeline_pipeline_id" FOREIGN KEY ("pipeline_id") REFERENCES "pipeline" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_opportunity_stage_stage_id" FOREIGN KEY ("stage_id") REFERENCES "stage" ("id") ON DELETE RESTRICT
);

-- table order
CREATE TABLE "order" (
    "id" TEXT NOT NULL CONSTRAINT "PK_order" PRIMARY KEY,
    "account_id" TEXT NULL,
    "contact_id" TEXT NULL,
    "contract_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "discount_total" TEXT NULL,
    "discount_total_currency" TEXT NULL,
    "number" TEXT NULL,
    "opportunity_id" TEXT NULL,
    "order_date" TEXT NULL,
    "outstanding_amount" TEXT NULL,
    "outstanding_amount_currency" TEXT NULL,
    "owner_id" TEXT NULL,
    "payment_status" TEXT NULL,
    "quote_id" TEXT NULL,
    "received_amount" TEXT NULL,
    "received_amount_currency" TEXT NULL,
    "status" TEXT NULL,
    "subtotal" TEXT NULL,
    "subtotal_currency" TEXT NULL,
    "tax_total" TEXT NULL,
    "tax_total_currency" TEXT NULL,
    "total" TEXT NULL,
    "total_currency" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_order_account_account_id" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_order_contact_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_order_contract_contract_id" FOREIGN KEY ("contract_id") REFERENCES "contract" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_order_opportunity_opportunity_id" FOREIGN KEY ("opportunity_id") REFERENCES "opportunity" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_order_quote_quote_id" FOREIGN KEY ("quote_id") REFERENCES "quote" ("id") ON DELETE RESTRICT
);

-- table order_line
CREATE TABLE "order_line" (
    "id" TEXT NOT NULL CONSTRAINT "PK_order_line" PRIMARY KEY,
    "amount" TEXT NULL,
    "amount_currency" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "description" TEXT NULL,
    "discount_amount" TEXT NULL,
    "discount_amount_currency" TEXT NULL,
    "discount_percent" TEXT NULL,
    "order_id" TEXT NULL,
    "owner_id" TEXT NULL,
    "product_id" TEXT NULL,
    "quantity" TEXT NULL,
    "sort_order" INTEGER NULL,
    "tax_amount" TEXT NULL,
    "tax_amount_currency" TEXT NULL,
    "tax_rate" TEXT NULL,
    "total" TEXT NULL,
    "total_currency" TEXT NULL,
    "unit_price" TEXT NULL,
    "unit_price_currency" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_order_line_order_order_id" FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_order_line_product_product_id" FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE RESTRICT
);

-- table payment
CREATE TABLE "payment" (
    "id" TEXT NOT NULL CONSTRAINT "PK_payment" PRIMARY KEY,
    "account_id" TEXT NULL,
    "amount" TEXT NULL,
    "amount_currency" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "method" TEXT NULL,
    "note" TEXT NULL,
    "order_id" TEXT NULL,
    "owner_id" TEXT NULL,
    "received_on" TEXT NULL,
    "reference" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_payment_account_account_id" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_payment_order_order_id" FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE RESTRICT
);

-- table payment_plan
CREATE TABLE "payment_plan" (
    "id" TEXT NOT NULL CONSTRAINT "PK_payment_plan" PRIMARY KEY,
    "account_id" TEXT NULL,
    "amount" TEXT NULL,
    "amount_currency" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "due_date" TEXT NULL,
    "instalment" INTEGER NULL,
    "note" TEXT NULL,
    "order_id" TEXT NULL,
    "outstanding_amount" TEXT NULL,
    "outstanding_amount_currency" TEXT NULL,
    "owner_id" TEXT NULL,
    "received_amount" TEXT NULL,
    "received_amount_currency" TEXT NULL,
    "status" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_payment_plan_account_account_id" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_payment_plan_order_order_id" FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE RESTRICT
);

-- table pipeline
CREATE TABLE "pipeline" (
    "id" TEXT NOT NULL CONSTRAINT "PK_pipeline" PRIMARY KEY,
    "active" INTEGER NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "description" TEXT NULL,
    "is_default" INTEGER NULL,
    "name" TEXT NULL,
    "owner_id" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL
);

-- table pool_move
CREATE TABLE "pool_move" (
    "id" TEXT NOT NULL CONSTRAINT "PK_pool_move" PRIMARY KEY,
    "account_id" TEXT NULL,
    "action" TEXT NULL,
    "at" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "note" TEXT NULL,
    "owner_id" TEXT NULL,
    "reason" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_pool_move_account_account_id" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT
);

-- table prediction_model
CREATE TABLE "prediction_model" (
    "id" TEXT NOT NULL CONSTRAINT "PK_prediction_model" PRIMARY KEY,
    "algorithm" TEXT NULL,
    "auc" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "kind" TEXT NULL,
    "log_loss" TEXT NULL,
    "message" TEXT NULL,
    "negatives" INTEGER NULL,
    "owner_id" TEXT NULL,
    "positives" INTEGER NULL,
    "quality" TEXT NULL,
    "trained_at" TEXT NULL,
    "training_rows" INTEGER NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "using_rule_fallback" INTEGER NULL,
    "version" INTEGER NOT NULL
);

-- table price_list
CREATE TABLE "price_list" (
    "id" TEXT NOT NULL CONSTRAINT "PK_price_list" PRIMARY KEY,
    "active" INTEGER NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "name" TEXT NULL,
    "owner_id" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "valid_from" TEXT NULL,
    "valid_to" TEXT NULL,
    "version" INTEGER NOT NULL
);

-- table price_list_item
CREATE TABLE "price_list_item" (
    "id" TEXT NOT NULL CONSTRAINT "PK_price_list_item" PRIMARY KEY,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "owner_id" TEXT NULL,
    "price_list_id" TEXT NULL,
    "product_id" TEXT NULL,
    "unit_price" TEXT NULL,
    "unit_price_currency" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_price_list_item_price_list_price_list_id" FOREIGN KEY ("price_list_id") REFERENCES "price_list" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_price_list_item_product_product_id" FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE RESTRICT
);

-- table product
CREATE TABLE "product" (
    "id" TEXT NOT NULL CONSTRAINT "PK_product" PRIMARY KEY,
    "active" INTEGER NULL,
    "category" TEXT NULL,
    "code" TEXT NULL,
    "commission_rate" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "description" TEXT NULL,
    "list_price" TEXT NULL,
    "list_price_currency" TEXT NULL,
    "name" TEXT NULL,
    "owner_id" TEXT NULL,
    "tax_rate" TEXT NULL,
    "unit" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL
);

-- table quote
CREATE TABLE "quote" (
    "id" TEXT NOT NULL CONSTRAINT "PK_quote" PRIMARY KEY,
    "accepted_at" TEXT NULL,
    "account_id" TEXT NULL,
    "contact_id" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "discount_total" TEXT NULL,
    "discount_total_currency" TEXT NULL,
    "document" TEXT NULL,
    "name" TEXT NULL,
    "number" TEXT NULL,
    "opportunity_id" TEXT NULL,
    "owner_id" TEXT NULL,
    "previous_revision_id" TEXT NULL,
    "price_list_id" TEXT NULL,
    "revision" INTEGER NULL,
    "status" TEXT NULL,
    "subtotal" TEXT NULL,
    "subtotal_currency" TEXT NULL,
    "tax_total" TEXT NULL,
    "tax_total_currency" TEXT NULL,
    "terms" TEXT NULL,
    "total" TEXT NULL,
    "total_currency" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "valid_until" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_quote_account_account_id" FOREIGN KEY ("account_id") REFERENCES "account" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_quote_contact_contact_id" FOREIGN KEY ("contact_id") REFERENCES "contact" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_quote_opportunity_opportunity_id" FOREIGN KEY ("opportunity_id") REFERENCES "opportunity" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_quote_price_list_price_list_id" FOREIGN KEY ("price_list_id") REFERENCES "price_list" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_quote_quote_previous_revision_id" FOREIGN KEY ("previous_revision_id") REFERENCES "quote" ("id") ON DELETE RESTRICT
);

-- table quote_line
CREATE TABLE "quote_line" (
    "id" TEXT NOT NULL CONSTRAINT "PK_quote_line" PRIMARY KEY,
    "amount" TEXT NULL,
    "amount_currency" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "description" TEXT NULL,
    "discount_amount" TEXT NULL,
    "discount_amount_currency" TEXT NULL,
    "discount_percent" TEXT NULL,
    "owner_id" TEXT NULL,
    "product_id" TEXT NULL,
    "quantity" TEXT NULL,
    "quote_id" TEXT NULL,
    "sort_order" INTEGER NULL,
    "tax_amount" TEXT NULL,
    "tax_amount_currency" TEXT NULL,
    "tax_rate" TEXT NULL,
    "total" TEXT NULL,
    "total_currency" TEXT NULL,
    "unit_price" TEXT NULL,
    "unit_price_currency" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_quote_line_product_product_id" FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_quote_line_quote_quote_id" FOREIGN KEY ("quote_id") REFERENCES "quote" ("id") ON DELETE RESTRICT
);

-- table sales_rep
CREATE TABLE "sales_rep" (
    "id" TEXT NOT NULL CONSTRAINT "PK_sales_rep" PRIMARY KEY,
    "accepts_leads" INTEGER NULL,
    "commission_rate" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "max_accounts" INTEGER NULL,
    "name" TEXT NULL,
    "owner_id" TEXT NULL,
    "regions" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL
);

-- table sales_settings
CREATE TABLE "sales_settings" (
    "id" TEXT NOT NULL CONSTRAINT "PK_sales_settings" PRIMARY KEY,
    "at_risk_after_days" INTEGER NULL,
    "claim_cool_down_days" INTEGER NULL,
    "commission_basis" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "currency" TEXT NULL,
    "dedup_fields" TEXT NULL,
    "default_commission_rate" TEXT NULL,
    "deleted_at" TEXT NULL,
    "duplicate_action" TEXT NULL,
    "grade_a_score" INTEGER NULL,
    "grade_b_score" INTEGER NULL,
    "grade_c_score" INTEGER NULL,
    "lead_assignment" TEXT NULL,
    "loyal_after_orders" INTEGER NULL,
    "manager_role" TEXT NULL,
    "max_accounts_per_rep" INTEGER NULL,
    "owner_id" TEXT NULL,
    "pool_no_deal_days" INTEGER NULL,
    "pool_no_follow_up_days" INTEGER NULL,
    "remind_after_days" INTEGER NULL,
    "time_zone" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL
);

-- table stage
CREATE TABLE "stage" (
    "id" TEXT NOT NULL CONSTRAINT "PK_stage" PRIMARY KEY,
    "category" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "forecast_category" TEXT NULL,
    "key" TEXT NULL,
    "name" TEXT NULL,
    "owner_id" TEXT NULL,
    "pipeline_id" TEXT NULL,
    "probability" TEXT NULL,
    "sort_order" INTEGER NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_stage_pipeline_pipeline_id" FOREIGN KEY ("pipeline_id") REFERENCES "pipeline" ("id") ON DELETE RESTRICT
);

-- table stage_history
CREATE TABLE "stage_history" (
    "id" TEXT NOT NULL CONSTRAINT "PK_stage_history" PRIMARY KEY,
    "amount" TEXT NULL,
    "amount_currency" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "days_in_stage" TEXT NULL,
    "deleted_at" TEXT NULL,
    "entered_at" TEXT NULL,
    "left_at" TEXT NULL,
    "opportunity_id" TEXT NULL,
    "owner_id" TEXT NULL,
    "probability" TEXT NULL,
    "stage_id" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL,
    CONSTRAINT "FK_stage_history_opportunity_opportunity_id" FOREIGN KEY ("opportunity_id") REFERENCES "opportunity" ("id") ON DELETE RESTRICT,
    CONSTRAINT "FK_stage_history_stage_stage_id" FOREIGN KEY ("stage_id") REFERENCES "stage" ("id") ON DELETE RESTRICT
);

-- table target
CREATE TABLE "target" (
    "id" TEXT NOT NULL CONSTRAINT "PK_target" PRIMARY KEY,
    "amount" TEXT NULL,
    "amount_currency" TEXT NULL,
    "created_at" TEXT NOT NULL,
    "created_by" TEXT NULL,
    "deleted_at" TEXT NULL,
    "name" TEXT NULL,
    "owner_id" TEXT NULL,
    "period_start" TEXT NULL,
    "period_type" TEXT NULL,
    "team_id" TEXT NULL,
    "updated_at" TEXT NOT NULL,
    "updated_by" TEXT NULL,
    "version" INTEGER NOT NULL
);
