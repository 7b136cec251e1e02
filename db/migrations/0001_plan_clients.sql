CREATE TABLE "plan_clients" (
	"plan_id" uuid NOT NULL,
	"client_id" bigint NOT NULL,
	"user_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "plan_clients_plan_id_client_id_pk" PRIMARY KEY("plan_id","client_id")
);
--> statement-breakpoint
ALTER TABLE "plan_clients" ADD CONSTRAINT "plan_clients_plan_id_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_clients" ADD CONSTRAINT "plan_clients_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;