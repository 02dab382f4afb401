account.id uuid NOT NULL
account.address text
account.churn_factors text
account.churn_risk bigint
account.city text
account.classification text
account.created_at timestamp with time zone NOT NULL
account.created_by uuid
account.customer_since date
account.deleted_at timestamp with time zone
account.description text
account.email text
account.idle_reminded_at timestamp with time zone
account.in_pool boolean
account.industry text
account.last_deal_progress_at timestamp with time zone
account.last_follow_up_at timestamp with time zone
account.last_order_on date
account.lifecycle_stage text
account.name text
account.name_key text
account.next_follow_up_at timestamp with time zone
account.owned_since timestamp with time zone
account.owner_id uuid
account.phone text
account.pool_entered_at timestamp with time zone
account.pool_reason text
account.province text
account.rfm_frequency bigint
account.rfm_monetary bigint
account.rfm_recency bigint
account.rfm_score text
account.rfm_scored_on date
account.rfm_segment text
account.source text
account.tags text
account.updated_at timestamp with time zone NOT NULL
account.updated_by uuid
account.version bigint NOT NULL
account.website text
activity.id uuid NOT NULL
activity.account_id uuid
activity.contact_id uuid
activity.created_at timestamp with time zone NOT NULL
activity.created_by uuid
activity.deleted_at timestamp with time zone
activity.lead_id uuid
activity.next_contact_at timestamp with time zone
activity.notes text
activity.occurred_at timestamp with time zone
activity.opportunity_id uuid
activity.owner_id uuid
activity.status text
activity.subject text
activity.type text
activity.updated_at timestamp with time zone NOT NULL
activity.updated_by uuid
activity.version bigint NOT NULL
commission.id uuid NOT NULL
commission.amount numeric
commission.amount_currency text
commission.base_amount numeric
commission.base_amount_currency text
commission.created_at timestamp with time zone NOT NULL
commission.created_by uuid
commission.deleted_at timestamp with time zone
commission.kind text
commission.note text
commission.order_id uuid
commission.owner_id uuid
commission.payment_id uuid
commission.rate numeric
commission.status text
commission.updated_at timestamp with time zone NOT NULL
commission.updated_by uuid
commission.version bigint NOT NULL
contact.id uuid NOT NULL
contact.account_id uuid
contact.birthday date
contact.created_at timestamp with time zone NOT NULL
contact.created_by uuid
contact.deleted_at timestamp with time zone
contact.department text
contact.description text
contact.email text
contact.is_primary boolean
contact.name text
contact.owner_id uuid
contact.phone text
contact.phone_key text
contact.title text
contact.updated_at timestamp with time zone NOT NULL
contact.updated_by uuid
contact.version bigint NOT NULL
contact.wechat text
contract.id uuid NOT NULL
contract.account_id uuid
contract.amount numeric
contract.amount_currency text
contract.created_at timestamp with time zone NOT NULL
contract.created_by uuid
contract.decided_at timestamp with time zone
contract.decision_comment text
contract.deleted_at timestamp with time zone
contract.document text
contract.end_date date
contract.name text
contract.number text
contract.opportunity_id uuid
contract.owner_id uuid
contract.quote_id uuid
contract.signed_on date
contract.start_date date
contract.status text
contract.submitted_at timestamp with time zone
contract.updated_at timestamp with time zone NOT NULL
contract.updated_by uuid
contract.version bigint NOT NULL
contract_approval.id uuid NOT NULL
contract_approval.action text
contract_approval.at timestamp with time zone
contract_approval.comment text
contract_approval.contract_id uuid
contract_approval.created_at timestamp with time zone NOT NULL
contract_approval.created_by uuid
contract_approval.deleted_at timestamp with time zone
contract_approval.owner_id uuid
contract_approval.updated_at timestamp with time zone NOT NULL
contract_approval.updated_by uuid
contract_approval.version bigint NOT NULL
crm_approval_delegation.user_id uuid NOT NULL
crm_approval_delegation.delegate_id uuid NOT NULL
crm_approval_delegation.from timestamp with time zone NOT NULL
crm_approval_delegation.until timestamp with time zone NOT NULL
crm_approval_delegation.created_at timestamp with time zone NOT NULL
crm_approval_event.id uuid NOT NULL
crm_approval_event.request_id uuid NOT NULL
crm_approval_event.sequence integer NOT NULL
crm_approval_event.entity text NOT NULL
crm_approval_event.record_id uuid NOT NULL
crm_approval_event.at timestamp with time zone NOT NULL
crm_approval_event.action text NOT NULL
crm_approval_event.step integer
crm_approval_event.step_name text
crm_approval_event.actor_id uuid NOT NULL
crm_approval_event.on_behalf_of uuid
crm_approval_event.comment text
crm_approval_process.id uuid NOT NULL
crm_approval_process.name text NOT NULL
crm_approval_process.entity text NOT NULL
crm_approval_process.active boolean NOT NULL
crm_approval_process.definition text NOT NULL
crm_approval_process.created_by uuid NOT NULL
crm_approval_process.created_at timestamp with time zone NOT NULL
crm_approval_process.updated_at timestamp with time zone NOT NULL
crm_approval_request.id uuid NOT NULL
crm_approval_request.process text NOT NULL
crm_approval_request.entity text NOT NULL
crm_approval_request.record_id uuid NOT NULL
crm_approval_request.status text NOT NULL
crm_approval_request.step integer NOT NULL
crm_approval_request.step_name text
crm_approval_request.submitted_by uuid NOT NULL
crm_approval_request.submitted_at timestamp with time zone NOT NULL
crm_approval_request.comment text
crm_approval_request.decided_at timestamp with time zone
crm_approval_request.open_key text
crm_approval_request.event_count integer NOT NULL
crm_approval_request.version bigint NOT NULL
crm_approval_task.id uuid NOT NULL
crm_approval_task.request_id uuid NOT NULL
crm_approval_task.step integer NOT NULL
crm_approval_task.approver_id uuid NOT NULL
crm_approval_task.outcome text
crm_approval_task.created_at timestamp with time zone NOT NULL
crm_audit.id uuid NOT NULL
crm_audit.entity text NOT NULL
crm_audit.record_id uuid NOT NULL
crm_audit.operation text NOT NULL
crm_audit.version bigint NOT NULL
crm_audit.at timestamp with time zone NOT NULL
crm_audit.actor uuid
crm_audit.changes text NOT NULL
crm_audit.cause text
crm_dashboard.id uuid NOT NULL
crm_dashboard.name text NOT NULL
crm_dashboard.folder text
crm_dashboard.report_ids text NOT NULL
crm_dashboard.sharing text NOT NULL
crm_dashboard.owner_id uuid NOT NULL
crm_dashboard.created_at timestamp with time zone NOT NULL
crm_dashboard.updated_at timestamp with time zone NOT NULL
crm_document_template.id uuid NOT NULL
crm_document_template.name character varying(100) NOT NULL
crm_document_template.language character varying(8) NOT NULL
crm_document_template.entity character varying(64) NOT NULL
crm_document_template.field character varying(64) NOT NULL
crm_document_template.format character varying(8) NOT NULL
crm_document_template.content bytea NOT NULL
crm_document_template.updated_at timestamp with time zone NOT NULL
crm_duplicate_job.id uuid NOT NULL
crm_duplicate_job.rule_id uuid NOT NULL
crm_duplicate_job.entity text NOT NULL
crm_duplicate_job.finds_sets boolean NOT NULL
crm_duplicate_job.status text NOT NULL
crm_duplicate_job.claimed_by text NOT NULL
crm_duplicate_job.records_total bigint NOT NULL
crm_duplicate_job.records_read bigint NOT NULL
crm_duplicate_job.sets_found integer NOT NULL
crm_duplicate_job.error_code text
crm_duplicate_job.error_message text
crm_duplicate_job.created_by uuid NOT NULL
crm_duplicate_job.created_at timestamp with time zone NOT NULL
crm_duplicate_job.started_at timestamp with time zone
crm_duplicate_job.heartbeat_at timestamp with time zone
crm_duplicate_job.finished_at timestamp with time zone
crm_duplicate_key.rule_id uuid NOT NULL
crm_duplicate_key.record_id uuid NOT NULL
crm_duplicate_key.key text NOT NULL
crm_duplicate_rule.id uuid NOT NULL
crm_duplicate_rule.name text NOT NULL
crm_duplicate_rule.entity text NOT NULL
crm_duplicate_rule.active boolean NOT NULL
crm_duplicate_rule.on_create text NOT NULL
crm_duplicate_rule.on_update text NOT NULL
crm_duplicate_rule.conditions text NOT NULL
crm_duplicate_rule.keys_ready boolean NOT NULL
crm_duplicate_rule.created_by uuid NOT NULL
crm_duplicate_rule.created_at timestamp with time zone NOT NULL
crm_duplicate_rule.updated_at timestamp with time zone NOT NULL
crm_duplicate_set.id uuid NOT NULL
crm_duplicate_set.rule_id uuid NOT NULL
crm_duplicate_set.job_id uuid NOT NULL
crm_duplicate_set.entity text NOT NULL
crm_duplicate_set.key text NOT NULL
crm_duplicate_set.record_ids text NOT NULL
crm_duplicate_set.size integer NOT NULL
crm_duplicate_set.status text NOT NULL
crm_duplicate_set.dismissed_by uuid
crm_duplicate_set.dismissed_at timestamp with time zone
crm_duplicate_set.created_at timestamp with time zone NOT NULL
crm_external_user.user_id uuid NOT NULL
crm_external_user.organization_entity text NOT NULL
crm_external_user.organization_id uuid NOT NULL
crm_file.id uuid NOT NULL
crm_file.tenant_id character varying(64) NOT NULL
crm_file.entity character varying(64)
crm_file.record_id uuid
crm_file.field character varying(64)
crm_file.name character varying(255) NOT NULL
crm_file.content_type character varying(100) NOT NULL
crm_file.size bigint NOT NULL
crm_file.sha256 character varying(64) NOT NULL
crm_file.state character varying(24) NOT NULL
crm_file.created_by uuid NOT NULL
crm_file.created_at timestamp with time zone NOT NULL
crm_file.deleted_at timestamp with time zone
crm_import_error.job_id uuid NOT NULL
crm_import_error.seq bigint NOT NULL
crm_import_error.row_number integer NOT NULL
crm_import_error.column_name text
crm_import_error.code text NOT NULL
crm_import_error.message text NOT NULL
crm_import_error.cells text
crm_import_job.id uuid NOT NULL
crm_import_job.entity text NOT NULL
crm_import_job.mode text NOT NULL
crm_import_job.upsert_by text
crm_import_job.dry_run boolean NOT NULL
crm_import_job.options text
crm_import_job.file_name text NOT NULL
crm_import_job.format text NOT NULL
crm_import_job.file_bytes bigint NOT NULL
crm_import_job.status text NOT NULL
crm_import_job.claimed_by text NOT NULL
crm_import_job.rows_read bigint NOT NULL
crm_import_job.rows_created bigint NOT NULL
crm_import_job.rows_updated bigint NOT NULL
crm_import_job.rows_refused bigint NOT NULL
crm_import_job.headers text
crm_import_job.unmapped_columns text
crm_import_job.error_code text
crm_import_job.error_message text
crm_import_job.created_by uuid NOT NULL
crm_import_job.created_at timestamp with time zone NOT NULL
crm_import_job.started_at timestamp with time zone
crm_import_job.heartbeat_at timestamp with time zone
crm_import_job.finished_at timestamp with time zone
crm_inbound_message.id uuid NOT NULL
crm_inbound_message.message_key text NOT NULL
crm_inbound_message.source text NOT NULL
crm_inbound_message.from_address text NOT NULL
crm_inbound_message.delivered_to text NOT NULL
crm_inbound_message.subject text NOT NULL
crm_inbound_message.in_reply_to text
crm_inbound_message.references text
crm_inbound_message.size integer NOT NULL
crm_inbound_message.attachments integer NOT NULL
crm_inbound_message.handler_errors text
crm_inbound_message.handlers integer NOT NULL
crm_inbound_message.received_at timestamp with time zone NOT NULL
crm_inbound_settings.id integer NOT NULL
crm_inbound_settings.domains text NOT NULL
crm_inbound_settings.addresses text NOT NULL
crm_inbound_settings.imap_enabled boolean NOT NULL
crm_inbound_settings.imap_host text
crm_inbound_settings.imap_port integer
crm_inbound_settings.imap_tls_mode text
crm_inbound_settings.imap_username text
crm_inbound_settings.imap_secret text
crm_inbound_settings.imap_folder text NOT NULL
crm_inbound_settings.imap_uid_validity bigint NOT NULL
crm_inbound_settings.imap_last_uid bigint NOT NULL
crm_inbound_settings.imap_polled_at timestamp with time zone
crm_inbound_settings.imap_error text
crm_inbound_settings.updated_at timestamp with time zone NOT NULL
crm_merge.id uuid NOT NULL
crm_merge.entity text NOT NULL
crm_merge.master_id uuid NOT NULL
crm_merge.at timestamp with time zone NOT NULL
crm_merge.actor uuid
crm_merge.plan text NOT NULL
crm_merge.undone_at timestamp with time zone
crm_merged_record.entity text NOT NULL
crm_merged_record.record_id uuid NOT NULL
crm_merged_record.master_id uuid NOT NULL
crm_merged_record.merge_id uuid NOT NULL
crm_message.id uuid NOT NULL
crm_message.channel text NOT NULL
crm_message.purpose text NOT NULL
crm_message.entity text NOT NULL
crm_message.record_id uuid NOT NULL
crm_message.recipient text NOT NULL
crm_message.template text
crm_message.language text NOT NULL
crm_message.subject text
crm_message.html text
crm_message.text text NOT NULL
crm_message.attachments text
crm_message.headers text
crm_message.status text NOT NULL
crm_message.attempts integer NOT NULL
crm_message.next_attempt_at timestamp with time zone
crm_message.last_error text
crm_message.provider_id text
crm_message.sent_at timestamp with time zone
crm_message.created_by uuid NOT NULL
crm_message.created_at timestamp with time zone NOT NULL
crm_message_channel.channel text NOT NULL
crm_message_channel.enabled boolean NOT NULL
crm_message_channel.host text
crm_message_channel.port integer
crm_message_channel.tls_mode text
crm_message_channel.username text
crm_message_channel.secret text
crm_message_channel.from_address text
crm_message_channel.url text
crm_message_channel.body_template text
crm_message_channel.daily_cap integer NOT NULL
crm_message_channel.per_second integer NOT NULL
crm_message_channel.updated_at timestamp with time zone NOT NULL
crm_message_template.id uuid NOT NULL
crm_message_template.name text NOT NULL
crm_message_template.language text NOT NULL
crm_message_template.subject text
crm_message_template.body text NOT NULL
crm_message_template.updated_at timestamp with time zone NOT NULL
crm_metadata_change.version bigint NOT NULL
crm_metadata_change.at timestamp with time zone NOT NULL
crm_metadata_change.actor uuid
crm_metadata_change.summary text NOT NULL
crm_metadata_entity.name text NOT NULL
crm_metadata_entity.definition text NOT NULL
crm_metadata_entity.updated_at timestamp with time zone NOT NULL
crm_metadata_state.id integer NOT NULL
crm_metadata_state.version bigint NOT NULL
crm_metadata_state.plugins text
crm_metadata_state.updated_at timestamp with time zone NOT NULL
crm_notification.id uuid NOT NULL
crm_notification.user_id uuid NOT NULL
crm_notification.message text NOT NULL
crm_notification.rule_name text
crm_notification.entity text
crm_notification.record_id uuid
crm_notification.at timestamp with time zone NOT NULL
crm_notification.read_at timestamp with time zone
crm_organization_lookup.entity text NOT NULL
crm_organization_lookup.field text NOT NULL
crm_outbox.seq bigint NOT NULL IDENTITY BY DEFAULT
crm_outbox.entity text NOT NULL
crm_outbox.record_id uuid NOT NULL
crm_outbox.operation text NOT NULL
crm_outbox.version bigint NOT NULL
crm_outbox.at timestamp with time zone NOT NULL
crm_outbox.actor uuid
crm_outbox.changes text NOT NULL
crm_outbox.depth integer NOT NULL
crm_outbox.attempts integer NOT NULL
crm_outbox.next_attempt_at timestamp with time zone
crm_outbox.processed_at timestamp with time zone
crm_outbox.handled_by text
crm_outbox.last_error text
crm_outbox.xid bigint NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint
crm_plugin_job.plugin_id text NOT NULL
crm_plugin_job.job text NOT NULL
crm_plugin_job.last_due_at timestamp with time zone NOT NULL
crm_plugin_job.running_due_at timestamp with time zone
crm_plugin_job_run.id uuid NOT NULL
crm_plugin_job_run.plugin_id text NOT NULL
crm_plugin_job_run.job text NOT NULL
crm_plugin_job_run.trigger text NOT NULL
crm_plugin_job_run.scheduled_at timestamp with time zone NOT NULL
crm_plugin_job_run.started_at timestamp with time zone NOT NULL
crm_plugin_job_run.ended_at timestamp with time zone
crm_plugin_job_run.outcome text NOT NULL
crm_plugin_job_run.error_code text
crm_plugin_job_run.error text
crm_plugin_job_run.host text NOT NULL
crm_plugin_setting.plugin_id text NOT NULL
crm_plugin_setting.name text NOT NULL
crm_plugin_setting.value text NOT NULL
crm_plugin_setting.is_protected boolean NOT NULL
crm_plugin_setting.updated_at timestamp with time zone NOT NULL
crm_plugin_setting.updated_by uuid
crm_plugin_state.plugin_id text NOT NULL
crm_plugin_state.seeded_at timestamp with time zone
crm_plugin_state.upgrade text
crm_plugin_state.upgrade_checkpoint text
crm_record_share.id uuid NOT NULL
crm_record_share.entity text NOT NULL
crm_record_share.record_id uuid NOT NULL
crm_record_share.principal_id uuid NOT NULL
crm_record_share.is_team boolean NOT NULL
crm_record_share.can_edit boolean NOT NULL
crm_record_share.created_at timestamp with time zone NOT NULL
crm_record_share.created_by uuid NOT NULL
crm_report.id uuid NOT NULL
crm_report.name text NOT NULL
crm_report.entity text NOT NULL
crm_report.definition text NOT NULL
crm_report.folder text
crm_report.sharing text NOT NULL DEFAULT '{"access":"Private","users":[],"teams":[],"roles":[]}'::text
crm_report.owner_id uuid NOT NULL
crm_report.created_at timestamp with time zone NOT NULL
crm_report.updated_at timestamp with time zone NOT NULL
crm_report_subscription.id uuid NOT NULL
crm_report_subscription.report_id uuid NOT NULL
crm_report_subscription.subscriber_id uuid NOT NULL
crm_report_subscription.subscriber_roles text NOT NULL
crm_report_subscription.recipients text NOT NULL
crm_report_subscription.formats text NOT NULL
crm_report_subscription.schedule text NOT NULL
crm_report_subscription.only_when_rows boolean NOT NULL
crm_report_subscription.active boolean NOT NULL
crm_report_subscription.next_run_at timestamp with time zone
crm_report_subscription.running_due_at timestamp with time zone
crm_report_subscription.last_run_at timestamp with time zone
crm_report_subscription.last_outcome text
crm_report_subscription.last_error text
crm_report_subscription.created_at timestamp with time zone NOT NULL
crm_report_subscription.updated_at timestamp with time zone NOT NULL
crm_role.name text NOT NULL
crm_role.definition text NOT NULL
crm_role.updated_at timestamp with time zone NOT NULL
crm_rule.id uuid NOT NULL
crm_rule.name text NOT NULL
crm_rule.current_version bigint NOT NULL
crm_rule.enabled boolean NOT NULL
crm_rule.created_at timestamp with time zone NOT NULL
crm_rule.updated_at timestamp with time zone NOT NULL
crm_rule.deleted_at timestamp with time zone
crm_rule.next_run_at timestamp with time zone
crm_rule.schedule_tick bigint NOT NULL
crm_rule.running_tick bigint
crm_rule.tick_resume_after uuid
crm_rule_event_done.rule_id uuid NOT NULL
crm_rule_event_done.outbox_seq bigint NOT NULL
crm_rule_event_done.at timestamp with time zone NOT NULL
crm_rule_run.id uuid NOT NULL
crm_rule_run.rule_id uuid
crm_rule_run.rule_name text NOT NULL
crm_rule_run.version bigint NOT NULL
crm_rule_run.entity text NOT NULL
crm_rule_run.record_id uuid
crm_rule_run.trigger text NOT NULL
crm_rule_run.outcome text NOT NULL
crm_rule_run.error_code text
crm_rule_run.error text
crm_rule_run.duration_ms double precision NOT NULL
crm_rule_run.statements bigint NOT NULL
crm_rule_run.at timestamp with time zone NOT NULL
crm_rule_run.log text
crm_rule_version.rule_id uuid NOT NULL
crm_rule_version.version bigint NOT NULL
crm_rule_version.name text NOT NULL
crm_rule_version.entity text NOT NULL
crm_rule_version.triggers text NOT NULL
crm_rule_version.condition text
crm_rule_version.script text NOT NULL
crm_rule_version.schedule text
crm_rule_version.time_zone text
crm_rule_version.filter text
crm_rule_version.description text
crm_rule_version.run_order integer NOT NULL
crm_rule_version.author uuid
crm_rule_version.at timestamp with time zone NOT NULL
crm_rule_version.note text
crm_search.entity text NOT NULL
crm_search.record_id uuid NOT NULL
crm_search.content text NOT NULL
crm_search.words tsvector
crm_security_log.id uuid NOT NULL
crm_security_log.at timestamp with time zone NOT NULL
crm_security_log.actor uuid
crm_security_log.key_id text
crm_security_log.event text NOT NULL
crm_security_log.detail text NOT NULL
crm_sequence.name text NOT NULL
crm_sequence.value bigint NOT NULL
crm_setting.name text NOT NULL
crm_setting.value text NOT NULL
crm_setting.updated_at timestamp with time zone NOT NULL
crm_share_inheritance.entity text NOT NULL
crm_share_inheritance.field text NOT NULL
crm_system_schema.name text NOT NULL
crm_system_schema.version integer NOT NULL
crm_team.id uuid NOT NULL
crm_team.name text NOT NULL
crm_team.manager_id uuid
crm_team.created_at timestamp with time zone NOT NULL
crm_team_member.team_id uuid NOT NULL
crm_team_member.user_id uuid NOT NULL
crm_used_link.id uuid NOT NULL
crm_used_link.expires_at timestamp with time zone NOT NULL
crm_user.id uuid NOT NULL
crm_user.email text NOT NULL
crm_user.display_name text NOT NULL
crm_user.active boolean NOT NULL
crm_user.external_id text
crm_user.created_at timestamp with time zone NOT NULL
crm_user.updated_at timestamp with time zone NOT NULL
crm_user_role.user_id uuid NOT NULL
crm_user_role.role text NOT NULL
crm_webhook.id uuid NOT NULL
crm_webhook.url text NOT NULL
crm_webhook.entity text NOT NULL
crm_webhook.events text NOT NULL
crm_webhook.filter text
crm_webhook.active boolean NOT NULL
crm_webhook.secret text NOT NULL
crm_webhook.consecutive_failures integer NOT NULL
crm_webhook.disabled_reason text
crm_webhook.disabled_at timestamp with time zone
crm_webhook.created_by uuid NOT NULL
crm_webhook.created_at timestamp with time zone NOT NULL
crm_webhook.updated_at timestamp with time zone NOT NULL
crm_webhook_delivery.id uuid NOT NULL
crm_webhook_delivery.webhook_id uuid NOT NULL
crm_webhook_delivery.outbox_seq bigint NOT NULL
crm_webhook_delivery.event text NOT NULL
crm_webhook_delivery.entity text NOT NULL
crm_webhook_delivery.record_id uuid NOT NULL
crm_webhook_delivery.body text NOT NULL
crm_webhook_delivery.status text NOT NULL
crm_webhook_delivery.attempts integer NOT NULL
crm_webhook_delivery.next_attempt_at timestamp with time zone
crm_webhook_delivery.last_status_code integer
crm_webhook_delivery.last_error text
crm_webhook_delivery.last_attempt_at timestamp with time zone
crm_webhook_delivery.delivered_at timestamp with time zone
crm_webhook_delivery.created_at timestamp with time zone NOT NULL
lead.id uuid NOT NULL
lead.account_id uuid
lead.assigned_at timestamp with time zone
lead.city text
lead.company text
lead.company_key text
lead.conversion_score bigint
lead.converted_account_id uuid
lead.converted_at timestamp with time zone
lead.converted_contact_id uuid
lead.converted_opportunity_id uuid
lead.created_at timestamp with time zone NOT NULL
lead.created_by uuid
lead.deleted_at timestamp with time zone
lead.description text
lead.duplicate_count bigint
lead.duplicate_of_id uuid
lead.email text
lead.grade text
lead.industry text
lead.last_activity_at timestamp with time zone
lead.last_captured_at timestamp with time zone
lead.name text
lead.next_follow_up_at timestamp with time zone
lead.owner_id uuid
lead.phone text
lead.phone_key text
lead.province text
lead.related_lead_id uuid
lead.score bigint
lead.score_factors text
lead.source text
lead.status text
lead.title text
lead.updated_at timestamp with time zone NOT NULL
lead.updated_by uuid
lead.version bigint NOT NULL
lead_capture.id uuid NOT NULL
lead_capture.account_id uuid
lead_capture.captured_at timestamp with time zone
lead_capture.city text
lead_capture.company text
lead_capture.created_at timestamp with time zone NOT NULL
lead_capture.created_by uuid
lead_capture.deleted_at timestamp with time zone
lead_capture.description text
lead_capture.email text
lead_capture.industry text
lead_capture.lead_id uuid
lead_capture.matched_on text
lead_capture.name text
lead_capture.not_merged text
lead_capture.outcome text
lead_capture.owner_id uuid
lead_capture.phone text
lead_capture.province text
lead_capture.source text
lead_capture.title text
lead_capture.updated_at timestamp with time zone NOT NULL
lead_capture.updated_by uuid
lead_capture.version bigint NOT NULL
opportunity.id uuid NOT NULL
opportunity.account_id uuid
opportunity.amount numeric
opportunity.amount_currency text
opportunity.closed_on date
opportunity.competitors text
opportunity.contact_id uuid
opportunity.created_at timestamp with time zone NOT NULL
opportunity.created_by uuid
opportunity.deleted_at timestamp with time zone
opportunity.description text
opportunity.expected_close_date date
opportunity.forecast_category text
opportunity.last_activity_at timestamp with time zone
opportunity.loss_note text
opportunity.lost_reason text
opportunity.name text
opportunity.next_follow_up_at timestamp with time zone
opportunity.owner_id uuid
opportunity.pipeline_id uuid
opportunity.probability numeric
opportunity.stage_entered_at timestamp with time zone
opportunity.stage_id uuid
opportunity.status text
opportunity.updated_at timestamp with time zone NOT NULL
opportunity.updated_by uuid
opportunity.version bigint NOT NULL
opportunity.won_reason text
order.id uuid NOT NULL
order.account_id uuid
order.contact_id uuid
order.contract_id uuid
order.created_at timestamp with time zone NOT NULL
order.created_by uuid
order.deleted_at timestamp with time zone
order.discount_total numeric
order.discount_total_currency text
order.number text
order.opportunity_id uuid
order.order_date date
order.outstanding_amount numeric
order.outstanding_amount_currency text
order.owner_id uuid
order.payment_status text
order.quote_id uuid
order.received_amount numeric
order.received_amount_currency text
order.status text
order.subtotal numeric
order.subtotal_currency text
order.tax_total numeric
order.tax_total_currency text
order.total numeric
order.total_currency text
order.updated_at timestamp with time zone NOT NULL
order.updated_by uuid
order.version bigint NOT NULL
order_line.id uuid NOT NULL
order_line.amount numeric
order_line.amount_currency text
order_line.created_at timestamp with time zone NOT NULL
order_line.created_by uuid
order_line.deleted_at timestamp with time zone
order_line.description text
order_line.discount_amount numeric
order_line.discount_amount_currency text
order_line.discount_percent numeric
order_line.order_id uuid
order_line.owner_id uuid
order_line.product_id uuid
order_line.quantity numeric
order_line.sort_order bigint
order_line.tax_amount numeric
order_line.tax_amount_currency text
order_line.tax_rate numeric
order_line.total numeric
order_line.total_currency text
order_line.unit_price numeric
order_line.unit_price_currency text
order_line.updated_at timestamp with time zone NOT NULL
order_line.updated_by uuid
order_line.version bigint NOT NULL
payment.id uuid NOT NULL
payment.account_id uuid
payment.amount numeric
payment.amount_currency text
payment.created_at timestamp with time zone NOT NULL
payment.created_by uuid
payment.deleted_at timestamp with time zone
payment.method text
payment.note text
payment.order_id uuid
payment.owner_id uuid
payment.received_on date
payment.reference text
payment.updated_at timestamp with time zone NOT NULL
payment.updated_by uuid
payment.version bigint NOT NULL
payment_plan.id uuid NOT NULL
payment_plan.account_id uuid
payment_plan.amount numeric
payment_plan.amount_currency text
payment_plan.created_at timestamp with time zone NOT NULL
payment_plan.created_by uuid
payment_plan.deleted_at timestamp with time zone
payment_plan.due_date date
payment_plan.instalment bigint
payment_plan.note text
payment_plan.order_id uuid
payment_plan.outstanding_amount numeric
payment_plan.outstanding_amount_currency text
payment_plan.owner_id uuid
payment_plan.received_amount numeric
payment_plan.received_amount_currency text
payment_plan.status text
payment_plan.updated_at timestamp with time zone NOT NULL
payment_plan.updated_by uuid
payment_plan.version bigint NOT NULL
pipeline.id uuid NOT NULL
pipeline.active boolean
pipeline.created_at timestamp with time zone NOT NULL
pipeline.created_by uuid
pipeline.deleted_at timestamp with time zone
pipeline.description text
pipeline.is_default boolean
pipeline.name text
pipeline.owner_id uuid
pipeline.updated_at timestamp with time zone NOT NULL
pipeline.updated_by uuid
pipeline.version bigint NOT NULL
pool_move.id uuid NOT NULL
pool_move.account_id uuid
pool_move.action text
pool_move.at timestamp with time zone
pool_move.created_at timestamp with time zone NOT NULL
pool_move.created_by uuid
pool_move.deleted_at timestamp with time zone
pool_move.note text
pool_move.owner_id uuid
pool_move.reason text
pool_move.updated_at timestamp with time zone NOT NULL
pool_move.updated_by uuid
pool_move.version bigint NOT NULL
prediction_model.id uuid NOT NULL
prediction_model.algorithm text
prediction_model.auc numeric
prediction_model.created_at timestamp with time zone NOT NULL
prediction_model.created_by uuid
prediction_model.deleted_at timestamp with time zone
prediction_model.kind text
prediction_model.log_loss numeric
prediction_model.message text
prediction_model.negatives bigint
prediction_model.owner_id uuid
prediction_model.positives bigint
prediction_model.quality text
prediction_model.trained_at timestamp with time zone
prediction_model.training_rows bigint
prediction_model.updated_at timestamp with time zone NOT NULL
prediction_model.updated_by uuid
prediction_model.using_rule_fallback boolean
prediction_model.version bigint NOT NULL
price_list.id uuid NOT NULL
price_list.active boolean
price_list.created_at timestamp with time zone NOT NULL
price_list.created_by uuid
price_list.deleted_at timestamp with time zone
price_list.name text
price_list.owner_id uuid
price_list.updated_at timestamp with time zone NOT NULL
price_list.updated_by uuid
price_list.valid_from date
price_list.valid_to date
price_list.version bigint NOT NULL
price_list_item.id uuid NOT NULL
price_list_item.created_at timestamp with time zone NOT NULL
price_list_item.created_by uuid
price_list_item.deleted_at timestamp with time zone
price_list_item.owner_id uuid
price_list_item.price_list_id uuid
price_list_item.product_id uuid
price_list_item.unit_price numeric
price_list_item.unit_price_currency text
price_list_item.updated_at timestamp with time zone NOT NULL
price_list_item.updated_by uuid
price_list_item.version bigint NOT NULL
product.id uuid NOT NULL
product.active boolean
product.category text
product.code text
product.commission_rate numeric
product.created_at timestamp with time zone NOT NULL
product.created_by uuid
product.deleted_at timestamp with time zone
product.description text
product.list_price numeric
product.list_price_currency text
product.name text
product.owner_id uuid
product.tax_rate numeric
product.unit text
product.updated_at timestamp with time zone NOT NULL
product.updated_by uuid
product.version bigint NOT NULL
quote.id uuid NOT NULL
quote.accepted_at timestamp with time zone
quote.account_id uuid
quote.contact_id uuid
quote.created_at timestamp with time zone NOT NULL
quote.created_by uuid
quote.deleted_at timestamp with time zone
quote.discount_total numeric
quote.discount_total_currency text
quote.document text
quote.name text
quote.number text
quote.opportunity_id uuid
quote.owner_id uuid
quote.previous_revision_id uuid
quote.price_list_id uuid
quote.revision bigint
quote.status text
quote.subtotal numeric
quote.subtotal_currency text
quote.tax_total numeric
quote.tax_total_currency text
quote.terms text
quote.total numeric
quote.total_currency text
quote.updated_at timestamp with time zone NOT NULL
quote.updated_by uuid
quote.valid_until date
quote.version bigint NOT NULL
quote_line.id uuid NOT NULL
quote_line.amount numeric
quote_line.amount_currency text
quote_line.created_at timestamp with time zone NOT NULL
quote_line.created_by uuid
quote_line.deleted_at timestamp with time zone
quote_line.description text
quote_line.discount_amount numeric
quote_line.discount_amount_currency text
quote_line.discount_percent numeric
quote_line.owner_id uuid
quote_line.product_id uuid
quote_line.quantity numeric
quote_line.quote_id uuid
quote_line.sort_order bigint
quote_line.tax_amount numeric
quote_line.tax_amount_currency text
quote_line.tax_rate numeric
quote_line.total numeric
quote_line.total_currency text
quote_line.unit_price numeric
quote_line.unit_price_currency text
quote_line.updated_at timestamp with time zone NOT NULL
quote_line.updated_by uuid
quote_line.version bigint NOT NULL
sales_rep.id uuid NOT NULL
sales_rep.accepts_leads boolean
sales_rep.commission_rate numeric
sales_rep.created_at timestamp with time zone NOT NULL
sales_rep.created_by uuid
sales_rep.deleted_at timestamp with time zone
sales_rep.max_accounts bigint
sales_rep.name text
sales_rep.owner_id uuid
sales_rep.regions text
sales_rep.updated_at timestamp with time zone NOT NULL
sales_rep.updated_by uuid
sales_rep.version bigint NOT NULL
sales_settings.id uuid NOT NULL
sales_settings.at_risk_after_days bigint
sales_settings.claim_cool_down_days bigint
sales_settings.commission_basis text
sales_settings.created_at timestamp with time zone NOT NULL
sales_settings.created_by uuid
sales_settings.currency text
sales_settings.dedup_fields text
sales_settings.default_commission_rate numeric
sales_settings.deleted_at timestamp with time zone
sales_settings.duplicate_action text
sales_settings.grade_a_score bigint
sales_settings.grade_b_score bigint
sales_settings.grade_c_score bigint
sales_settings.lead_assignment text
sales_settings.loyal_after_orders bigint
sales_settings.manager_role text
sales_settings.max_accounts_per_rep bigint
sales_settings.owner_id uuid
sales_settings.pool_no_deal_days bigint
sales_settings.pool_no_follow_up_days bigint
sales_settings.remind_after_days bigint
sales_settings.time_zone text
sales_settings.updated_at timestamp with time zone NOT NULL
sales_settings.updated_by uuid
sales_settings.version bigint NOT NULL
stage.id uuid NOT NULL
stage.category text
stage.created_at timestamp with time zone NOT NULL
stage.created_by uuid
stage.deleted_at timestamp with time zone
stage.forecast_category text
stage.key text
stage.name text
stage.owner_id uuid
stage.pipeline_id uuid
stage.probability numeric
stage.sort_order bigint
stage.updated_at timestamp with time zone NOT NULL
stage.updated_by uuid
stage.version bigint NOT NULL
stage_history.id uuid NOT NULL
stage_history.amount numeric
stage_history.amount_currency text
stage_history.created_at timestamp with time zone NOT NULL
stage_history.created_by uuid
stage_history.days_in_stage numeric
stage_history.deleted_at timestamp with time zone
stage_history.entered_at timestamp with time zone
stage_history.left_at timestamp with time zone
stage_history.opportunity_id uuid
stage_history.owner_id uuid
stage_history.probability numeric
stage_history.stage_id uuid
stage_history.updated_at timestamp with time zone NOT NULL
stage_history.updated_by uuid
stage_history.version bigint NOT NULL
target.id uuid NOT NULL
target.amount numeric
target.amount_currency text
target.created_at timestamp with time zone NOT NULL
target.created_by uuid
target.deleted_at timestamp with time zone
target.name text
target.owner_id uuid
target.period_start date
target.period_type text
target.team_id text
target.updated_at timestamp with time zone NOT NULL
target.updated_by uuid
target.version bigint NOT NULL

account CONSTRAINT PK_account PRIMARY KEY (id)
activity CONSTRAINT FK_activity_account_account_id FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE RESTRICT
activity CONSTRAINT FK_activity_contact_contact_id FOREIGN KEY (contact_id) REFERENCES contact(id) ON DELETE RESTRICT
activity CONSTRAINT FK_activity_lead_lead_id FOREIGN KEY (lead_id) REFERENCES lead(id) ON DELETE RESTRICT
activity CONSTRAINT FK_activity_opportunity_opportunity_id FOREIGN KEY (opportunity_id) REFERENCES opportunity(id) ON DELETE RESTRICT
activity CONSTRAINT PK_activity PRIMARY KEY (id)
commission CONSTRAINT FK_commission_order_order_id FOREIGN KEY (order_id) REFERENCES "order"(id) ON DELETE RESTRICT
commission CONSTRAINT FK_commission_payment_payment_id FOREIGN KEY (payment_id) REFERENCES payment(id) ON DELETE RESTRICT
commission CONSTRAINT PK_commission PRIMARY KEY (id)
contact CONSTRAINT FK_contact_account_account_id FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE RESTRICT
contact CONSTRAINT PK_contact PRIMARY KEY (id)
contract CONSTRAINT FK_contract_account_account_id FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE RESTRICT
contract CONSTRAINT FK_contract_opportunity_opportunity_id FOREIGN KEY (opportunity_id) REFERENCES opportunity(id) ON DELETE RESTRICT
contract CONSTRAINT FK_contract_quote_quote_id FOREIGN KEY (quote_id) REFERENCES quote(id) ON DELETE RESTRICT
contract CONSTRAINT PK_contract PRIMARY KEY (id)
contract_approval CONSTRAINT FK_contract_approval_contract_contract_id FOREIGN KEY (contract_id) REFERENCES contract(id) ON DELETE RESTRICT
contract_approval CONSTRAINT PK_contract_approval PRIMARY KEY (id)
crm_approval_delegation CONSTRAINT PK_crm_approval_delegation PRIMARY KEY (user_id)
crm_approval_event CONSTRAINT PK_crm_approval_event PRIMARY KEY (id)
crm_approval_process CONSTRAINT PK_crm_approval_process PRIMARY KEY (id)
crm_approval_request CONSTRAINT PK_crm_approval_request PRIMARY KEY (id)
crm_approval_task CONSTRAINT PK_crm_approval_task PRIMARY KEY (id)
crm_audit CONSTRAINT PK_crm_audit PRIMARY KEY (id)
crm_dashboard CONSTRAINT PK_crm_dashboard PRIMARY KEY (id)
crm_document_template CONSTRAINT PK_crm_document_template PRIMARY KEY (id)
crm_duplicate_job CONSTRAINT PK_crm_duplicate_job PRIMARY KEY (id)
crm_duplicate_key CONSTRAINT PK_crm_duplicate_key PRIMARY KEY (rule_id, record_id)
crm_duplicate_rule CONSTRAINT PK_crm_duplicate_rule PRIMARY KEY (id)
crm_duplicate_set CONSTRAINT PK_crm_duplicate_set PRIMARY KEY (id)
crm_external_user CONSTRAINT PK_crm_external_user PRIMARY KEY (user_id)
crm_file CONSTRAINT PK_crm_file PRIMARY KEY (id)
crm_import_error CONSTRAINT PK_crm_import_error PRIMARY KEY (job_id, seq)
crm_import_job CONSTRAINT PK_crm_import_job PRIMARY KEY (id)
crm_inbound_message CONSTRAINT PK_crm_inbound_message PRIMARY KEY (id)
crm_inbound_settings CONSTRAINT PK_crm_inbound_settings PRIMARY KEY (id)
crm_merge CONSTRAINT PK_crm_merge PRIMARY KEY (id)
crm_merged_record CONSTRAINT PK_crm_merged_record PRIMARY KEY (entity, record_id)
crm_message CONSTRAINT PK_crm_message PRIMARY KEY (id)
crm_message_channel CONSTRAINT PK_crm_message_channel PRIMARY KEY (channel)
crm_message_template CONSTRAINT PK_crm_message_template PRIMARY KEY (id)
crm_metadata_change CONSTRAINT PK_crm_metadata_change PRIMARY KEY (version)
crm_metadata_entity CONSTRAINT PK_crm_metadata_entity PRIMARY KEY (name)
crm_metadata_state CONSTRAINT PK_crm_metadata_state PRIMARY KEY (id)
crm_notification CONSTRAINT PK_crm_notification PRIMARY KEY (id)
crm_organization_lookup CONSTRAINT PK_crm_organization_lookup PRIMARY KEY (entity, field)
crm_outbox CONSTRAINT PK_crm_outbox PRIMARY KEY (seq)
crm_plugin_job CONSTRAINT PK_crm_plugin_job PRIMARY KEY (plugin_id, job)
crm_plugin_job_run CONSTRAINT PK_crm_plugin_job_run PRIMARY KEY (id)
crm_plugin_setting CONSTRAINT PK_crm_plugin_setting PRIMARY KEY (plugin_id, name)
crm_plugin_state CONSTRAINT PK_crm_plugin_state PRIMARY KEY (plugin_id)
crm_record_share CONSTRAINT PK_crm_record_share PRIMARY KEY (id)
crm_report CONSTRAINT PK_crm_report PRIMARY KEY (id)
crm_report_subscription CONSTRAINT PK_crm_report_subscription PRIMARY KEY (id)
crm_role CONSTRAINT PK_crm_role PRIMARY KEY (name)
crm_rule CONSTRAINT PK_crm_rule PRIMARY KEY (id)
crm_rule_event_done CONSTRAINT PK_crm_rule_event_done PRIMARY KEY (rule_id, outbox_seq)
crm_rule_run CONSTRAINT PK_crm_rule_run PRIMARY KEY (id)
crm_rule_version CONSTRAINT PK_crm_rule_version PRIMARY KEY (rule_id, version)
crm_search CONSTRAINT crm_search_pkey PRIMARY KEY (entity, record_id)
crm_security_log CONSTRAINT PK_crm_security_log PRIMARY KEY (id)
crm_sequence CONSTRAINT PK_crm_sequence PRIMARY KEY (name)
crm_setting CONSTRAINT PK_crm_setting PRIMARY KEY (name)
crm_share_inheritance CONSTRAINT PK_crm_share_inheritance PRIMARY KEY (entity, field)
crm_system_schema CONSTRAINT PK_crm_system_schema PRIMARY KEY (name)
crm_team CONSTRAINT PK_crm_team PRIMARY KEY (id)
crm_team_member CONSTRAINT PK_crm_team_member PRIMARY KEY (team_id, user_id)
crm_used_link CONSTRAINT PK_crm_used_link PRIMARY KEY (id)
crm_user CONSTRAINT PK_crm_user PRIMARY KEY (id)
crm_user_role CONSTRAINT PK_crm_user_role PRIMARY KEY (user_id, role)
crm_webhook CONSTRAINT PK_crm_webhook PRIMARY KEY (id)
crm_webhook_delivery CONSTRAINT PK_crm_webhook_delivery PRIMARY KEY (id)
lead CONSTRAINT FK_lead_account_account_id FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE RESTRICT
lead CONSTRAINT FK_lead_account_converted_account_id FOREIGN KEY (converted_account_id) REFERENCES account(id) ON DELETE RESTRICT
lead CONSTRAINT FK_lead_contact_converted_contact_id FOREIGN KEY (converted_contact_id) REFERENCES contact(id) ON DELETE RESTRICT
lead CONSTRAINT FK_lead_lead_duplicate_of_id FOREIGN KEY (duplicate_of_id) REFERENCES lead(id) ON DELETE RESTRICT
lead CONSTRAINT FK_lead_lead_related_lead_id FOREIGN KEY (related_lead_id) REFERENCES lead(id) ON DELETE RESTRICT
lead CONSTRAINT FK_lead_opportunity_converted_opportunity_id FOREIGN KEY (converted_opportunity_id) REFERENCES opportunity(id) ON DELETE RESTRICT
lead CONSTRAINT PK_lead PRIMARY KEY (id)
lead_capture CONSTRAINT FK_lead_capture_account_account_id FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE RESTRICT
lead_capture CONSTRAINT FK_lead_capture_lead_lead_id FOREIGN KEY (lead_id) REFERENCES lead(id) ON DELETE RESTRICT
lead_capture CONSTRAINT PK_lead_capture PRIMARY KEY (id)
opportunity CONSTRAINT FK_opportunity_account_account_id FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE RESTRICT
opportunity CONSTRAINT FK_opportunity_contact_contact_id FOREIGN KEY (contact_id) REFERENCES contact(id) ON DELETE RESTRICT
opportunity CONSTRAINT FK_opportunity_pipeline_pipeline_id FOREIGN KEY (pipeline_id) REFERENCES pipeline(id) ON DELETE RESTRICT
opportunity CONSTRAINT FK_opportunity_stage_stage_id FOREIGN KEY (stage_id) REFERENCES stage(id) ON DELETE RESTRICT
opportunity CONSTRAINT PK_opportunity PRIMARY KEY (id)
order CONSTRAINT FK_order_account_account_id FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE RESTRICT
order CONSTRAINT FK_order_contact_contact_id FOREIGN KEY (contact_id) REFERENCES contact(id) ON DELETE RESTRICT
order CONSTRAINT FK_order_contract_contract_id FOREIGN KEY (contract_id) REFERENCES contract(id) ON DELETE RESTRICT
order CONSTRAINT FK_order_opportunity_opportunity_id FOREIGN KEY (opportunity_id) REFERENCES opportunity(id) ON DELETE RESTRICT
order CONSTRAINT FK_order_quote_quote_id FOREIGN KEY (quote_id) REFERENCES quote(id) ON DELETE RESTRICT
order CONSTRAINT PK_order PRIMARY KEY (id)
order_line CONSTRAINT FK_order_line_order_order_id FOREIGN KEY (order_id) REFERENCES "order"(id) ON DELETE RESTRICT
order_line CONSTRAINT FK_order_line_product_product_id FOREIGN KEY (product_id) REFERENCES product(id) ON DELETE RESTRICT
order_line CONSTRAINT PK_order_line PRIMARY KEY (id)
payment CONSTRAINT FK_payment_account_account_id FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE RESTRICT
payment CONSTRAINT FK_payment_order_order_id FOREIGN KEY (order_id) REFERENCES "order"(id) ON DELETE RESTRICT
payment CONSTRAINT PK_payment PRIMARY KEY (id)
payment_plan CONSTRAINT FK_payment_plan_account_account_id FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE RESTRICT
payment_plan CONSTRAINT FK_payment_plan_order_order_id FOREIGN KEY (order_id) REFERENCES "order"(id) ON DELETE RESTRICT
payment_plan CONSTRAINT PK_payment_plan PRIMARY KEY (id)
pipeline CONSTRAINT PK_pipeline PRIMARY KEY (id)
pool_move CONSTRAINT FK_pool_move_account_account_id FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE RESTRICT
pool_move CONSTRAINT PK_pool_move PRIMARY KEY (id)
prediction_model CONSTRAINT PK_prediction_model PRIMARY KEY (id)
price_list CONSTRAINT PK_price_list PRIMARY KEY (id)
price_list_item CONSTRAINT FK_price_list_item_price_list_price_list_id FOREIGN KEY (price_list_id) REFERENCES price_list(id) ON DELETE RESTRICT
price_list_item CONSTRAINT FK_price_list_item_product_product_id FOREIGN KEY (product_id) REFERENCES product(id) ON DELETE RESTRICT
price_list_item CONSTRAINT PK_price_list_item PRIMARY KEY (id)
product CONSTRAINT PK_product PRIMARY KEY (id)
quote CONSTRAINT FK_quote_account_account_id FOREIGN KEY (account_id) REFERENCES account(id) ON DELETE RESTRICT
quote CONSTRAINT FK_quote_contact_contact_id FOREIGN KEY (contact_id) REFERENCES contact(id) ON DELETE RESTRICT
quote CONSTRAINT FK_quote_opportunity_opportunity_id FOREIGN KEY (opportunity_id) REFERENCES opportunity(id) ON DELETE RESTRICT
quote CONSTRAINT FK_quote_price_list_price_list_id FOREIGN KEY (price_list_id) REFERENCES price_list(id) ON DELETE RESTRICT
quote CONSTRAINT FK_quote_quote_previous_revision_id FOREIGN KEY (previous_revision_id) REFERENCES quote(id) ON DELETE RESTRICT
quote CONSTRAINT PK_quote PRIMARY KEY (id)
quote_line CONSTRAINT FK_quote_line_product_product_id FOREIGN KEY (product_id) REFERENCES product(id) ON DELETE RESTRICT
quote_line CONSTRAINT FK_quote_line_quote_quote_id FOREIGN KEY (quote_id) REFERENCES quote(id) ON DELETE RESTRICT
quote_line CONSTRAINT PK_quote_line PRIMARY KEY (id)
sales_rep CONSTRAINT PK_sales_rep PRIMARY KEY (id)
sales_settings CONSTRAINT PK_sales_settings PRIMARY KEY (id)
stage CONSTRAINT FK_stage_pipeline_pipeline_id FOREIGN KEY (pipeline_id) REFERENCES pipeline(id) ON DELETE RESTRICT
stage CONSTRAINT PK_stage PRIMARY KEY (id)
stage_history CONSTRAINT FK_stage_history_opportunity_opportunity_id FOREIGN KEY (opportunity_id) REFERENCES opportunity(id) ON DELETE RESTRICT
stage_history CONSTRAINT FK_stage_history_stage_stage_id FOREIGN KEY (stage_id) REFERENCES stage(id) ON DELETE RESTRICT
stage_history CONSTRAINT PK_stage_history PRIMARY KEY (id)
target CONSTRAINT PK_target PRIMARY KEY (id)

CREATE INDEX "IX_account_churn_risk" ON <tenant>.account USING btree (churn_risk NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_account_in_pool" ON <tenant>.account USING btree (in_pool NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_account_lifecycle_stage" ON <tenant>.account USING btree (lifecycle_stage NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_account_name_key" ON <tenant>.account USING btree (name_key NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_account_owner_id" ON <tenant>.account USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_account_rfm_score" ON <tenant>.account USING btree (rfm_score NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_account_rfm_segment" ON <tenant>.account USING btree (rfm_segment NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_account" ON <tenant>.account USING btree (id)
CREATE INDEX "IX_activity_account_id" ON <tenant>.activity USING btree (account_id NULLS FIRST)
CREATE INDEX "IX_activity_contact_id" ON <tenant>.activity USING btree (contact_id NULLS FIRST)
CREATE INDEX "IX_activity_lead_id" ON <tenant>.activity USING btree (lead_id NULLS FIRST)
CREATE INDEX "IX_activity_opportunity_id" ON <tenant>.activity USING btree (opportunity_id NULLS FIRST)
CREATE INDEX "IX_activity_owner_id" ON <tenant>.activity USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_activity_type" ON <tenant>.activity USING btree (type NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_activity" ON <tenant>.activity USING btree (id)
CREATE INDEX "IX_commission_order_id" ON <tenant>.commission USING btree (order_id NULLS FIRST)
CREATE INDEX "IX_commission_owner_id" ON <tenant>.commission USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_commission_payment_id" ON <tenant>.commission USING btree (payment_id NULLS FIRST)
CREATE INDEX "IX_commission_status" ON <tenant>.commission USING btree (status NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_commission" ON <tenant>.commission USING btree (id)
CREATE INDEX "IX_contact_account_id" ON <tenant>.contact USING btree (account_id NULLS FIRST)
CREATE INDEX "IX_contact_email" ON <tenant>.contact USING btree (email NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_contact_owner_id" ON <tenant>.contact USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_contact_phone_key" ON <tenant>.contact USING btree (phone_key NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_contact" ON <tenant>.contact USING btree (id)
CREATE INDEX "IX_contract_account_id" ON <tenant>.contract USING btree (account_id NULLS FIRST)
CREATE INDEX "IX_contract_opportunity_id" ON <tenant>.contract USING btree (opportunity_id NULLS FIRST)
CREATE INDEX "IX_contract_owner_id" ON <tenant>.contract USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_contract_quote_id" ON <tenant>.contract USING btree (quote_id NULLS FIRST)
CREATE INDEX "IX_contract_status" ON <tenant>.contract USING btree (status NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_contract" ON <tenant>.contract USING btree (id)
CREATE INDEX "IX_contract_approval_contract_id" ON <tenant>.contract_approval USING btree (contract_id NULLS FIRST)
CREATE INDEX "IX_contract_approval_owner_id" ON <tenant>.contract_approval USING btree (owner_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_contract_approval" ON <tenant>.contract_approval USING btree (id)
CREATE INDEX "IX_crm_approval_delegation_delegate_id" ON <tenant>.crm_approval_delegation USING btree (delegate_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_approval_delegation" ON <tenant>.crm_approval_delegation USING btree (user_id)
CREATE INDEX "IX_crm_approval_event_entity_record_id_at" ON <tenant>.crm_approval_event USING btree (entity NULLS FIRST, record_id NULLS FIRST, at NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_approval_event" ON <tenant>.crm_approval_event USING btree (id)
CREATE UNIQUE INDEX "IX_crm_approval_process_name" ON <tenant>.crm_approval_process USING btree (name NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_approval_process" ON <tenant>.crm_approval_process USING btree (id)
CREATE INDEX "IX_crm_approval_request_entity_record_id" ON <tenant>.crm_approval_request USING btree (entity NULLS FIRST, record_id NULLS FIRST)
CREATE UNIQUE INDEX "IX_crm_approval_request_open_key" ON <tenant>.crm_approval_request USING btree (open_key NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_approval_request" ON <tenant>.crm_approval_request USING btree (id)
CREATE INDEX "IX_crm_approval_task_approver_id_outcome" ON <tenant>.crm_approval_task USING btree (approver_id NULLS FIRST, outcome NULLS FIRST)
CREATE INDEX "IX_crm_approval_task_request_id_step" ON <tenant>.crm_approval_task USING btree (request_id NULLS FIRST, step NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_approval_task" ON <tenant>.crm_approval_task USING btree (id)
CREATE INDEX "IX_crm_audit_entity_record_id_version" ON <tenant>.crm_audit USING btree (entity NULLS FIRST, record_id NULLS FIRST, version NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_audit" ON <tenant>.crm_audit USING btree (id)
CREATE INDEX "IX_crm_dashboard_folder" ON <tenant>.crm_dashboard USING btree (folder NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_dashboard" ON <tenant>.crm_dashboard USING btree (id)
CREATE UNIQUE INDEX "IX_crm_document_template_name_language" ON <tenant>.crm_document_template USING btree (name NULLS FIRST, language NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_document_template" ON <tenant>.crm_document_template USING btree (id)
CREATE INDEX "IX_crm_duplicate_job_created_at" ON <tenant>.crm_duplicate_job USING btree (created_at NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_duplicate_job" ON <tenant>.crm_duplicate_job USING btree (id)
CREATE INDEX "IX_crm_duplicate_key_rule_id_key" ON <tenant>.crm_duplicate_key USING btree (rule_id NULLS FIRST, key NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_duplicate_key" ON <tenant>.crm_duplicate_key USING btree (rule_id, record_id)
CREATE INDEX "IX_crm_duplicate_rule_entity" ON <tenant>.crm_duplicate_rule USING btree (entity NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_duplicate_rule" ON <tenant>.crm_duplicate_rule USING btree (id)
CREATE INDEX "IX_crm_duplicate_set_rule_id_status_key" ON <tenant>.crm_duplicate_set USING btree (rule_id NULLS FIRST, status NULLS FIRST, key NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_duplicate_set" ON <tenant>.crm_duplicate_set USING btree (id)
CREATE INDEX "IX_crm_external_user_organization_entity_organization_id" ON <tenant>.crm_external_user USING btree (organization_entity NULLS FIRST, organization_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_external_user" ON <tenant>.crm_external_user USING btree (user_id)
CREATE INDEX "IX_crm_file_entity_record_id" ON <tenant>.crm_file USING btree (entity NULLS FIRST, record_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_file" ON <tenant>.crm_file USING btree (id)
CREATE UNIQUE INDEX "PK_crm_import_error" ON <tenant>.crm_import_error USING btree (job_id, seq)
CREATE INDEX "IX_crm_import_job_created_at" ON <tenant>.crm_import_job USING btree (created_at NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_import_job" ON <tenant>.crm_import_job USING btree (id)
CREATE UNIQUE INDEX "IX_crm_inbound_message_message_key" ON <tenant>.crm_inbound_message USING btree (message_key NULLS FIRST)
CREATE INDEX "IX_crm_inbound_message_received_at" ON <tenant>.crm_inbound_message USING btree (received_at NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_inbound_message" ON <tenant>.crm_inbound_message USING btree (id)
CREATE UNIQUE INDEX "PK_crm_inbound_settings" ON <tenant>.crm_inbound_settings USING btree (id)
CREATE UNIQUE INDEX "PK_crm_merge" ON <tenant>.crm_merge USING btree (id)
CREATE UNIQUE INDEX "PK_crm_merged_record" ON <tenant>.crm_merged_record USING btree (entity, record_id)
CREATE INDEX "IX_crm_message_channel_sent_at" ON <tenant>.crm_message USING btree (channel NULLS FIRST, sent_at NULLS FIRST)
CREATE INDEX "IX_crm_message_entity_record_id_created_at" ON <tenant>.crm_message USING btree (entity NULLS FIRST, record_id NULLS FIRST, created_at NULLS FIRST)
CREATE INDEX "IX_crm_message_status_next_attempt_at" ON <tenant>.crm_message USING btree (status NULLS FIRST, next_attempt_at NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_message" ON <tenant>.crm_message USING btree (id)
CREATE UNIQUE INDEX "PK_crm_message_channel" ON <tenant>.crm_message_channel USING btree (channel)
CREATE UNIQUE INDEX "IX_crm_message_template_name_language" ON <tenant>.crm_message_template USING btree (name NULLS FIRST, language NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_message_template" ON <tenant>.crm_message_template USING btree (id)
CREATE UNIQUE INDEX "PK_crm_metadata_change" ON <tenant>.crm_metadata_change USING btree (version)
CREATE UNIQUE INDEX "PK_crm_metadata_entity" ON <tenant>.crm_metadata_entity USING btree (name)
CREATE UNIQUE INDEX "PK_crm_metadata_state" ON <tenant>.crm_metadata_state USING btree (id)
CREATE INDEX "IX_crm_notification_user_id_at" ON <tenant>.crm_notification USING btree (user_id NULLS FIRST, at NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_notification" ON <tenant>.crm_notification USING btree (id)
CREATE UNIQUE INDEX "PK_crm_organization_lookup" ON <tenant>.crm_organization_lookup USING btree (entity, field)
CREATE INDEX "IX_crm_outbox_changes" ON <tenant>.crm_outbox USING btree (entity NULLS FIRST, xid NULLS FIRST, seq NULLS FIRST)
CREATE INDEX "IX_crm_outbox_pending" ON <tenant>.crm_outbox USING btree (seq NULLS FIRST) WHERE (processed_at IS NULL)
CREATE UNIQUE INDEX "PK_crm_outbox" ON <tenant>.crm_outbox USING btree (seq)
CREATE UNIQUE INDEX "PK_crm_plugin_job" ON <tenant>.crm_plugin_job USING btree (plugin_id, job)
CREATE INDEX "IX_crm_plugin_job_run_plugin_id_job_started_at" ON <tenant>.crm_plugin_job_run USING btree (plugin_id NULLS FIRST, job NULLS FIRST, started_at NULLS FIRST)
CREATE INDEX "IX_crm_plugin_job_run_started_at" ON <tenant>.crm_plugin_job_run USING btree (started_at NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_plugin_job_run" ON <tenant>.crm_plugin_job_run USING btree (id)
CREATE UNIQUE INDEX "PK_crm_plugin_setting" ON <tenant>.crm_plugin_setting USING btree (plugin_id, name)
CREATE UNIQUE INDEX "PK_crm_plugin_state" ON <tenant>.crm_plugin_state USING btree (plugin_id)
CREATE INDEX "IX_crm_record_share_entity_record_id" ON <tenant>.crm_record_share USING btree (entity NULLS FIRST, record_id NULLS FIRST)
CREATE UNIQUE INDEX "IX_crm_record_share_principal_id_entity_record_id" ON <tenant>.crm_record_share USING btree (principal_id NULLS FIRST, entity NULLS FIRST, record_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_record_share" ON <tenant>.crm_record_share USING btree (id)
CREATE INDEX "IX_crm_report_folder" ON <tenant>.crm_report USING btree (folder NULLS FIRST)
CREATE INDEX "IX_crm_report_owner_id_name" ON <tenant>.crm_report USING btree (owner_id NULLS FIRST, name NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_report" ON <tenant>.crm_report USING btree (id)
CREATE INDEX "IX_crm_report_subscription_next_run_at" ON <tenant>.crm_report_subscription USING btree (next_run_at NULLS FIRST)
CREATE INDEX "IX_crm_report_subscription_report_id" ON <tenant>.crm_report_subscription USING btree (report_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_report_subscription" ON <tenant>.crm_report_subscription USING btree (id)
CREATE UNIQUE INDEX "PK_crm_role" ON <tenant>.crm_role USING btree (name)
CREATE UNIQUE INDEX "IX_crm_rule_name" ON <tenant>.crm_rule USING btree (name NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_crm_rule" ON <tenant>.crm_rule USING btree (id)
CREATE INDEX "IX_crm_rule_event_done_at" ON <tenant>.crm_rule_event_done USING btree (at NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_rule_event_done" ON <tenant>.crm_rule_event_done USING btree (rule_id, outbox_seq)
CREATE INDEX "IX_crm_rule_run_at" ON <tenant>.crm_rule_run USING btree (at NULLS FIRST)
CREATE INDEX "IX_crm_rule_run_rule_id_at" ON <tenant>.crm_rule_run USING btree (rule_id NULLS FIRST, at NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_rule_run" ON <tenant>.crm_rule_run USING btree (id)
CREATE UNIQUE INDEX "PK_crm_rule_version" ON <tenant>.crm_rule_version USING btree (rule_id, version)
CREATE UNIQUE INDEX crm_search_pkey ON <tenant>.crm_search USING btree (entity, record_id)
CREATE INDEX crm_search_trigrams ON <tenant>.crm_search USING gin (content gin_trgm_ops)
CREATE INDEX crm_search_words ON <tenant>.crm_search USING gin (words)
CREATE INDEX "IX_crm_security_log_at" ON <tenant>.crm_security_log USING btree (at NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_security_log" ON <tenant>.crm_security_log USING btree (id)
CREATE UNIQUE INDEX "PK_crm_sequence" ON <tenant>.crm_sequence USING btree (name)
CREATE UNIQUE INDEX "PK_crm_setting" ON <tenant>.crm_setting USING btree (name)
CREATE UNIQUE INDEX "PK_crm_share_inheritance" ON <tenant>.crm_share_inheritance USING btree (entity, field)
CREATE UNIQUE INDEX "PK_crm_system_schema" ON <tenant>.crm_system_schema USING btree (name)
CREATE UNIQUE INDEX "IX_crm_team_name" ON <tenant>.crm_team USING btree (name NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_team" ON <tenant>.crm_team USING btree (id)
CREATE UNIQUE INDEX "PK_crm_team_member" ON <tenant>.crm_team_member USING btree (team_id, user_id)
CREATE INDEX "IX_crm_used_link_expires_at" ON <tenant>.crm_used_link USING btree (expires_at NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_used_link" ON <tenant>.crm_used_link USING btree (id)
CREATE UNIQUE INDEX "IX_crm_user_email" ON <tenant>.crm_user USING btree (email NULLS FIRST)
CREATE UNIQUE INDEX "IX_crm_user_external_id" ON <tenant>.crm_user USING btree (external_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_user" ON <tenant>.crm_user USING btree (id)
CREATE UNIQUE INDEX "PK_crm_user_role" ON <tenant>.crm_user_role USING btree (user_id, role)
CREATE INDEX "IX_crm_webhook_entity" ON <tenant>.crm_webhook USING btree (entity NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_webhook" ON <tenant>.crm_webhook USING btree (id)
CREATE INDEX "IX_crm_webhook_delivery_status_next_attempt_at" ON <tenant>.crm_webhook_delivery USING btree (status NULLS FIRST, next_attempt_at NULLS FIRST)
CREATE INDEX "IX_crm_webhook_delivery_webhook_id_created_at" ON <tenant>.crm_webhook_delivery USING btree (webhook_id NULLS FIRST, created_at NULLS FIRST)
CREATE UNIQUE INDEX "IX_crm_webhook_delivery_webhook_id_outbox_seq" ON <tenant>.crm_webhook_delivery USING btree (webhook_id NULLS FIRST, outbox_seq NULLS FIRST)
CREATE UNIQUE INDEX "PK_crm_webhook_delivery" ON <tenant>.crm_webhook_delivery USING btree (id)
CREATE INDEX "IX_lead_account_id" ON <tenant>.lead USING btree (account_id NULLS FIRST)
CREATE INDEX "IX_lead_company_key" ON <tenant>.lead USING btree (company_key NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_lead_conversion_score" ON <tenant>.lead USING btree (conversion_score NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_lead_converted_account_id" ON <tenant>.lead USING btree (converted_account_id NULLS FIRST)
CREATE INDEX "IX_lead_converted_contact_id" ON <tenant>.lead USING btree (converted_contact_id NULLS FIRST)
CREATE INDEX "IX_lead_converted_opportunity_id" ON <tenant>.lead USING btree (converted_opportunity_id NULLS FIRST)
CREATE INDEX "IX_lead_duplicate_of_id" ON <tenant>.lead USING btree (duplicate_of_id NULLS FIRST)
CREATE INDEX "IX_lead_email" ON <tenant>.lead USING btree (email NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_lead_owner_id" ON <tenant>.lead USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_lead_phone_key" ON <tenant>.lead USING btree (phone_key NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_lead_related_lead_id" ON <tenant>.lead USING btree (related_lead_id NULLS FIRST)
CREATE INDEX "IX_lead_source" ON <tenant>.lead USING btree (source NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_lead_status" ON <tenant>.lead USING btree (status NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_lead" ON <tenant>.lead USING btree (id)
CREATE INDEX "IX_lead_capture_account_id" ON <tenant>.lead_capture USING btree (account_id NULLS FIRST)
CREATE INDEX "IX_lead_capture_lead_id" ON <tenant>.lead_capture USING btree (lead_id NULLS FIRST)
CREATE INDEX "IX_lead_capture_outcome" ON <tenant>.lead_capture USING btree (outcome NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_lead_capture_owner_id" ON <tenant>.lead_capture USING btree (owner_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_lead_capture" ON <tenant>.lead_capture USING btree (id)
CREATE INDEX "IX_opportunity_account_id" ON <tenant>.opportunity USING btree (account_id NULLS FIRST)
CREATE INDEX "IX_opportunity_contact_id" ON <tenant>.opportunity USING btree (contact_id NULLS FIRST)
CREATE INDEX "IX_opportunity_expected_close_date" ON <tenant>.opportunity USING btree (expected_close_date NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_opportunity_owner_id" ON <tenant>.opportunity USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_opportunity_pipeline_id" ON <tenant>.opportunity USING btree (pipeline_id NULLS FIRST)
CREATE INDEX "IX_opportunity_stage_id" ON <tenant>.opportunity USING btree (stage_id NULLS FIRST)
CREATE INDEX "IX_opportunity_status" ON <tenant>.opportunity USING btree (status NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_opportunity" ON <tenant>.opportunity USING btree (id)
CREATE INDEX "IX_order_account_id" ON <tenant>."order" USING btree (account_id NULLS FIRST)
CREATE INDEX "IX_order_contact_id" ON <tenant>."order" USING btree (contact_id NULLS FIRST)
CREATE INDEX "IX_order_contract_id" ON <tenant>."order" USING btree (contract_id NULLS FIRST)
CREATE INDEX "IX_order_opportunity_id" ON <tenant>."order" USING btree (opportunity_id NULLS FIRST)
CREATE INDEX "IX_order_order_date" ON <tenant>."order" USING btree (order_date NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_order_owner_id" ON <tenant>."order" USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_order_quote_id" ON <tenant>."order" USING btree (quote_id NULLS FIRST)
CREATE INDEX "IX_order_status" ON <tenant>."order" USING btree (status NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_order" ON <tenant>."order" USING btree (id)
CREATE INDEX "IX_order_line_order_id" ON <tenant>.order_line USING btree (order_id NULLS FIRST)
CREATE INDEX "IX_order_line_owner_id" ON <tenant>.order_line USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_order_line_product_id" ON <tenant>.order_line USING btree (product_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_order_line" ON <tenant>.order_line USING btree (id)
CREATE INDEX "IX_payment_account_id" ON <tenant>.payment USING btree (account_id NULLS FIRST)
CREATE INDEX "IX_payment_order_id" ON <tenant>.payment USING btree (order_id NULLS FIRST)
CREATE INDEX "IX_payment_owner_id" ON <tenant>.payment USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_payment_received_on" ON <tenant>.payment USING btree (received_on NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_payment" ON <tenant>.payment USING btree (id)
CREATE INDEX "IX_payment_plan_account_id" ON <tenant>.payment_plan USING btree (account_id NULLS FIRST)
CREATE INDEX "IX_payment_plan_due_date" ON <tenant>.payment_plan USING btree (due_date NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_payment_plan_order_id" ON <tenant>.payment_plan USING btree (order_id NULLS FIRST)
CREATE INDEX "IX_payment_plan_owner_id" ON <tenant>.payment_plan USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_payment_plan_status" ON <tenant>.payment_plan USING btree (status NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_payment_plan" ON <tenant>.payment_plan USING btree (id)
CREATE UNIQUE INDEX "IX_pipeline_name" ON <tenant>.pipeline USING btree (name NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_pipeline_owner_id" ON <tenant>.pipeline USING btree (owner_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_pipeline" ON <tenant>.pipeline USING btree (id)
CREATE INDEX "IX_pool_move_account_id" ON <tenant>.pool_move USING btree (account_id NULLS FIRST)
CREATE INDEX "IX_pool_move_action" ON <tenant>.pool_move USING btree (action NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_pool_move_owner_id" ON <tenant>.pool_move USING btree (owner_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_pool_move" ON <tenant>.pool_move USING btree (id)
CREATE UNIQUE INDEX "IX_prediction_model_kind" ON <tenant>.prediction_model USING btree (kind NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_prediction_model_owner_id" ON <tenant>.prediction_model USING btree (owner_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_prediction_model" ON <tenant>.prediction_model USING btree (id)
CREATE UNIQUE INDEX "IX_price_list_name" ON <tenant>.price_list USING btree (name NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_price_list_owner_id" ON <tenant>.price_list USING btree (owner_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_price_list" ON <tenant>.price_list USING btree (id)
CREATE INDEX "IX_price_list_item_owner_id" ON <tenant>.price_list_item USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_price_list_item_price_list_id" ON <tenant>.price_list_item USING btree (price_list_id NULLS FIRST)
CREATE INDEX "IX_price_list_item_product_id" ON <tenant>.price_list_item USING btree (product_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_price_list_item" ON <tenant>.price_list_item USING btree (id)
CREATE UNIQUE INDEX "IX_product_code" ON <tenant>.product USING btree (code NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE INDEX "IX_product_owner_id" ON <tenant>.product USING btree (owner_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_product" ON <tenant>.product USING btree (id)
CREATE INDEX "IX_quote_account_id" ON <tenant>.quote USING btree (account_id NULLS FIRST)
CREATE INDEX "IX_quote_contact_id" ON <tenant>.quote USING btree (contact_id NULLS FIRST)
CREATE INDEX "IX_quote_opportunity_id" ON <tenant>.quote USING btree (opportunity_id NULLS FIRST)
CREATE INDEX "IX_quote_owner_id" ON <tenant>.quote USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_quote_previous_revision_id" ON <tenant>.quote USING btree (previous_revision_id NULLS FIRST)
CREATE INDEX "IX_quote_price_list_id" ON <tenant>.quote USING btree (price_list_id NULLS FIRST)
CREATE INDEX "IX_quote_status" ON <tenant>.quote USING btree (status NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_quote" ON <tenant>.quote USING btree (id)
CREATE INDEX "IX_quote_line_owner_id" ON <tenant>.quote_line USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_quote_line_product_id" ON <tenant>.quote_line USING btree (product_id NULLS FIRST)
CREATE INDEX "IX_quote_line_quote_id" ON <tenant>.quote_line USING btree (quote_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_quote_line" ON <tenant>.quote_line USING btree (id)
CREATE INDEX "IX_sales_rep_owner_id" ON <tenant>.sales_rep USING btree (owner_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_sales_rep" ON <tenant>.sales_rep USING btree (id)
CREATE INDEX "IX_sales_settings_owner_id" ON <tenant>.sales_settings USING btree (owner_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_sales_settings" ON <tenant>.sales_settings USING btree (id)
CREATE INDEX "IX_stage_owner_id" ON <tenant>.stage USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_stage_pipeline_id" ON <tenant>.stage USING btree (pipeline_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_stage" ON <tenant>.stage USING btree (id)
CREATE INDEX "IX_stage_history_opportunity_id" ON <tenant>.stage_history USING btree (opportunity_id NULLS FIRST)
CREATE INDEX "IX_stage_history_owner_id" ON <tenant>.stage_history USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_stage_history_stage_id" ON <tenant>.stage_history USING btree (stage_id NULLS FIRST)
CREATE UNIQUE INDEX "PK_stage_history" ON <tenant>.stage_history USING btree (id)
CREATE INDEX "IX_target_owner_id" ON <tenant>.target USING btree (owner_id NULLS FIRST)
CREATE INDEX "IX_target_period_start" ON <tenant>.target USING btree (period_start NULLS FIRST) WHERE (deleted_at IS NULL)
CREATE UNIQUE INDEX "PK_target" ON <tenant>.target USING btree (id)
