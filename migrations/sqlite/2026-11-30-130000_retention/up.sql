-- Pruning (service::retention) deletes events, deliveries and attempts;
-- each delete checks or cascades to the rows that reference the deleted
-- one, which without these indexes reads the whole child table per row.
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id);
