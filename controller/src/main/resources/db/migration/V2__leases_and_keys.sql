-- High availability: a fencing token per rollout lease, and the controller's keys shared by replicas.

-- Raised at every claim of a rollout (and when it ends); every write of its driver checks it.
alter table rollout add column lease_epoch bigint not null default 0;

-- The controller's private keys when no files are configured: generated once by the first replica
-- that needs them, then used by all (agents accept only one SSH identity and one signing key).
create table controller_key (
    name        varchar(64)  primary key,
    material    text         not null,
    created_at  timestamp(6) with time zone not null,
    created_by  varchar(100)
);
