ALTER TABLE "plan_items" ADD COLUMN "workstream_position" text DEFAULT '' NOT NULL;--> statement-breakpoint
-- Every plan's rows lack the new column's value: mark them never projected, so the next load of
-- each plan (or read of its items) rebuilds them from the document.
UPDATE "plans" SET "projected_seq" = -1;
--> statement-breakpoint
-- …and let that rebuild replace every row (a write never replaces a row at the same or a later seq).
UPDATE "plan_items" SET "projected_seq" = -1;
