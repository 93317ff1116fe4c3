-- DropIndex
DROP INDEX "InboxEvent_status_receivedAt_idx";

-- CreateIndex
CREATE INDEX "InboxEvent_status_id_idx" ON "InboxEvent"("status", "id");

-- The inbox claim (src/domain/plumbing/inbox.repo.ts): the earliest pending events, one per sender (its earliest
-- pending one, so each person's events stay in order), whose lease ran out, up to max_events, each leased for
-- lease_ms. It must walk "InboxEvent_status_id_idx" in id order and stop after the batch: the planner, left alone,
-- reads and sorts every pending event on each claim whenever its statistics say there are few (always, without
-- autovacuum, and during any burst), which cost 20-60 ms a claim with 7,000 waiting. Hence the two settings, which
-- hold only while this function runs. The sender check is a scalar subquery so that it stays one index probe per row
-- (as NOT EXISTS it could be planned as a hash anti join over every pending event).
CREATE FUNCTION inbox_claim(max_events integer, lease_ms double precision)
  RETURNS TABLE (claimed_id text, claimed_payload jsonb, claimed_attempts integer, claimed_token text)
  LANGUAGE plpgsql VOLATILE
  SET enable_bitmapscan = off
  SET enable_sort = off
  AS $$
  BEGIN
    -- PL/pgSQL keeps the statement's plan for the session (a SQL function would plan it again at every call).
    RETURN QUERY
    UPDATE "InboxEvent" AS u SET "lockedUntil" = clock_timestamp() + make_interval(secs => lease_ms / 1000), attempts = u.attempts + 1
     WHERE u.id IN (SELECT e.id FROM "InboxEvent" e
                    WHERE e.status = 'pending' AND (e."lockedUntil" IS NULL OR e."lockedUntil" < now())
                      AND e.id = (SELECT min(p.id) FROM "InboxEvent" p
                                  WHERE p.platform = e.platform AND p."senderId" = e."senderId" AND p.status = 'pending')
                    ORDER BY e.status, e.id LIMIT max_events FOR UPDATE SKIP LOCKED)
    RETURNING u.id::text, u.payload, u.attempts, u."lockedUntil"::text;
  END
  $$;

-- Room on each page for a claim's new row version beside the old one, so that the claim (which changes no indexed
-- column) is a HOT update: no new entry in the table's four indexes per claim, and no dead pending entries for the
-- next claim to step over. Applies to pages written from now on.
ALTER TABLE "InboxEvent" SET (fillfactor = 70);
