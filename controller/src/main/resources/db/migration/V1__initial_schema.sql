-- Flotilla controller schema. Flyway owns it; Hibernate validates against it at start.

create table api_token (
    id            bigserial primary key,
    name          varchar(100) not null unique,
    role          varchar(16)  not null check (role in ('VIEWER', 'OPERATOR', 'ADMIN')),
    token_hash    varchar(64)  not null unique,
    created_at    timestamp(6) with time zone not null,
    created_by    varchar(100),
    last_used_at  timestamp(6) with time zone,
    revoked_at    timestamp(6) with time zone
);

create table audit_record (
    id      bigserial primary key,
    at      timestamp(6) with time zone not null,
    actor   varchar(100) not null,
    action  varchar(100) not null,
    method  varchar(10)  not null,
    path    varchar(500) not null,
    status  integer      not null,
    outcome varchar(16)  not null,
    detail  text
);
create index audit_record_actor on audit_record (actor, id);
create index audit_record_action on audit_record (action, id);

create table host (
    id          bigserial primary key,
    name        varchar(253) not null unique,
    address     varchar(253) not null,
    port        integer      not null check (port between 1 and 65535),
    ssh_user    varchar(64)  not null,
    host_key    text,
    tags        jsonb        not null default '[]',
    groups      jsonb        not null default '["all"]',
    vars        jsonb        not null default '{}',
    created_at  timestamp(6) with time zone not null,
    updated_at  timestamp(6) with time zone not null,
    version     bigint       not null default 0
);

create table rollout (
    id               bigserial primary key,
    state            varchar(16)  not null,
    config_path      text         not null,
    selector         text,
    parallelism      integer      not null,
    mode             varchar(16)  not null,
    created_by       varchar(100) not null,
    created_at       timestamp(6) with time zone not null,
    started_at       timestamp(6) with time zone,
    finished_at      timestamp(6) with time zone,
    abort_requested  boolean      not null default false,
    owner            varchar(100),
    lease_until      timestamp(6) with time zone,
    next_seq         bigint       not null default 1,
    summary          text
);
create index rollout_in_flight on rollout (state, lease_until) where state in ('PENDING', 'RUNNING');

create table rollout_host (
    id               bigserial primary key,
    rollout_id       bigint       not null references rollout (id) on delete cascade,
    position         integer      not null,
    host_name        varchar(253) not null,
    state            varchar(16)  not null,
    host             jsonb        not null,
    from_generation  integer,
    to_generation    integer,
    toplevel         text,
    reason           text,
    paths_sent       integer      not null default 0,
    bytes_sent       bigint       not null default 0,
    updated_at       timestamp(6) with time zone not null,
    unique (rollout_id, host_name)
);
create index rollout_host_rollout on rollout_host (rollout_id, position);

create table rollout_event (
    id          bigserial primary key,
    rollout_id  bigint       not null references rollout (id) on delete cascade,
    seq         bigint       not null,
    at          timestamp(6) with time zone not null,
    kind        varchar(16)  not null,
    host_name   varchar(253),
    state       varchar(16),
    detail      text,
    unique (rollout_id, seq)
);

create table host_generation (
    id           bigserial primary key,
    host_name    varchar(253) not null,
    generation   integer      not null,
    toplevel     text,
    rollout_id   bigint references rollout (id) on delete set null,
    outcome      varchar(16)  not null,
    detail       text,
    recorded_at  timestamp(6) with time zone not null
);
create index host_generation_host on host_generation (host_name, id);
