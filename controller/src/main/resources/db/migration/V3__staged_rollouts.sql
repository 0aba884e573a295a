-- The controller runs the staged rollout engine (deploy-plans' RolloutEngine): a rollout keeps its
-- plan, goal and stages; each host its stage, batch, origin and failure, with the engine's host states.

alter table rollout alter column state type varchar(32);
alter table rollout add column goal varchar(16) not null default 'DEPLOY';
-- The plan as a JSON document in the CLI's plan schema (PlanDocument).
alter table rollout add column plan text;
alter table rollout add column description text;
-- The engine's stages: [{"name", "status", "approved", "pauseUntil"}].
alter table rollout add column stages jsonb not null default '[]';
alter table rollout add column reason text;
-- The engine's own status word for the snapshot (RolloutStatus): what a resumed run starts from.
alter table rollout add column engine_status varchar(32) not null default 'RUNNING';
-- Stages an operator approved through the API; the engine asks at each approval gate.
alter table rollout add column approved_stages jsonb not null default '[]';
-- Systems built and stages assigned: the engine's snapshot is complete.
alter table rollout add column planned boolean not null default false;
alter table rollout add column pause_requested boolean not null default false;
-- A rollback rollout: which target it returns hosts to (previous, generation N, rollout ID).
alter table rollout add column rollback_to varchar(64);
-- Raised by every save of the engine's snapshot: with next_seq, the version readers cache host lists by.
alter table rollout add column saves bigint not null default 0;

alter table rollout_host alter column state type varchar(32);
alter table rollout_host add column stage varchar(100) not null default '';
alter table rollout_host add column batch integer not null default 0;
alter table rollout_host add column target_generation integer not null default 0;
alter table rollout_host add column from_system text;
alter table rollout_host add column changed boolean not null default false;
alter table rollout_host add column failed boolean not null default false;
alter table rollout_host add column failed_step varchar(16);
alter table rollout_host add column detail text;

alter table rollout_event alter column state type varchar(32);
alter table rollout_event alter column kind type varchar(32);

-- Rollouts of the earlier all-at-once engine: finished ones map onto the new states; ones in flight
-- cannot be resumed by the new engine (no plan, no stored origin), so they end as failed, saying why.
update rollout_host set state = 'CONFIRMED', changed = (state = 'SWITCHED') where state in ('SWITCHED', 'UNCHANGED');
update rollout_host set state = 'FAILED', failed = true where state = 'ABORTED';
update rollout_host set state = 'PENDING' where state in ('EVALUATING', 'BUILDING', 'CONNECTING');
update rollout set state = 'FAILED', finished_at = now(), owner = null, lease_until = null, lease_epoch = lease_epoch + 1,
                   summary = 'left in flight by a controller before the staged engine; start it again'
    where state in ('PENDING', 'RUNNING');
update rollout set plan = '{"name":"all-at-once","stages":[{"name":"all"}]}' where plan is null;
