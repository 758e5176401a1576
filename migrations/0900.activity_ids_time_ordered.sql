-- New walks get time-ordered ids (UUID version 7, RFC 9562: the first 48 bits are the Unix
-- time in milliseconds, then the version, 74 random bits and the variant) instead of random
-- ones (docs/architecture.md#write-path). A random id sends every insert to a random leaf of
-- activities_pkey, and the first change of a page after a checkpoint writes the whole page to
-- the WAL: on the scale data set 55 % of a walk's WAL was such page images of B-tree leaves,
-- ≈ 5.5 KB a walk against ≈ 3.0 KB with these ids (10 s runs of the write's server call from
-- pgbench at 8 clients after a checkpoint, three alternated rounds; 1 082 against 1 188 walks
-- a second, medians). A time-ordered id goes to the index's last leaf, which stays in memory
-- however large the index grows; a random one needs its leaf read once the index outgrows it.
--
-- The ids are still uuids, unique by their random bits, and still opaque to clients (nothing
-- orders by id alone: every list orders by time first, the id breaks ties). The time they
-- carry is the row's creation, which the API shows anyway (`createdAt`). Walks logged before
-- this keep their random ids. PostgreSQL 15 has no generator of its own (18 adds uuidv7()),
-- hence this one, made from gen_random_uuid's random bits: the time is written over the first
-- 6 bytes and the version nibble turned from 4 into 7 (bits 52 and 53 of the bytes, counted
-- from each byte's low bit); the variant bits are v4's already.
-- Expand only: a new function and a new default; the previous release inserts as before.
-- depends: 0890.activity_export_settings

CREATE FUNCTION uuid_v7() RETURNS uuid
    LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT encode(
               set_bit(set_bit(
                   overlay(uuid_send(gen_random_uuid())
                           PLACING substring(int8send(floor(extract(epoch FROM clock_timestamp())
                                                            * 1000)::bigint) FROM 3)
                           FROM 1 FOR 6),
                   52, 1), 53, 1),
               'hex')::uuid
$$;

ALTER TABLE activities ALTER COLUMN id SET DEFAULT uuid_v7();
