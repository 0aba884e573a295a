-- Fleets (fleet folders the controller knows), their pinned revisions, and builds of a revision.

-- A fleet folder's content, pinned: a deterministic tar.gz of the folder (without .git), named by the
-- SHA-256 NAR hash (SRI) of that folder. Kept in the database so every replica can unpack it.
create table fleet_content (
    hash        varchar(100) primary key,
    archive     bytea        not null,
    size        bigint       not null,
    created_at  timestamptz  not null
);

-- Either a folder on the controller host (path) or uploaded content (content_hash, the latest upload).
create table fleet (
    id           bigserial    primary key,
    name         varchar(100) not null unique,
    path         text,
    content_hash varchar(100) references fleet_content (hash),
    created_at   timestamptz  not null,
    created_by   varchar(100),
    updated_at   timestamptz  not null,
    constraint fleet_has_a_source check (path is not null or content_hash is not null)
);

create table fleet_revision (
    id          bigserial    primary key,
    fleet_id    bigint       not null references fleet (id) on delete cascade,
    hash        varchar(100) not null references fleet_content (hash),
    created_at  timestamptz  not null,
    created_by  varchar(100)
);
create index fleet_revision_by_fleet on fleet_revision (fleet_id, id);

-- A build of a revision's hosts; runs on the replica named by owner.
create table fleet_build (
    id           bigserial    primary key,
    revision_id  bigint       not null references fleet_revision (id) on delete cascade,
    selector     text,
    state        varchar(16)  not null,
    owner        varchar(200),
    created_at   timestamptz  not null,
    created_by   varchar(100),
    finished_at  timestamptz,
    error        text,
    log          text         not null default ''
);
create index fleet_build_by_revision on fleet_build (revision_id, id);

create table fleet_build_host (
    build_id    bigint       not null references fleet_build (id) on delete cascade,
    host_name   varchar(100) not null,
    state       varchar(16)  not null,
    toplevel    text,
    error       text,
    error_kind  varchar(16),
    took_ms     bigint,
    primary key (build_id, host_name)
);
