-- The outbox claim (src/domain/plumbing/outbox.repo.ts), as the inbox's (migration inbox_claim_in_order): the due
-- pending messages of the given platforms, one per recipient (its earliest pending one, so each person's messages
-- keep their order), whose lease ran out, up to max_messages, each leased for lease_ms. It walks
-- "OutboxMessage_status_nextAttemptAt_idx" over the due messages only, oldest due first, and stops after the batch;
-- left alone, the planner read and sorted every pending message on each claim whenever its statistics said there
-- were few (about 0.5 ms a claim at a steady 100 messages a second, more in a burst). The recipient check is a
-- scalar subquery: one index probe per row, never a hash anti join over every pending message.
CREATE FUNCTION outbox_claim(max_messages integer, lease_ms double precision, platforms text[])
  RETURNS TABLE (claimed_id text, claimed_payload jsonb, claimed_attempts integer, claimed_created_at timestamptz, claimed_token text)
  LANGUAGE plpgsql VOLATILE
  SET enable_bitmapscan = off
  SET enable_sort = off
  AS $$
  BEGIN
    RETURN QUERY
    UPDATE "OutboxMessage" AS u SET "lockedUntil" = clock_timestamp() + make_interval(secs => lease_ms / 1000), attempts = u.attempts + 1
     WHERE u.id IN (SELECT m.id FROM "OutboxMessage" m
                    WHERE m.status = 'pending' AND m."nextAttemptAt" <= now() AND m.platform = ANY(platforms)
                      AND (m."lockedUntil" IS NULL OR m."lockedUntil" < now())
                      AND m.id = (SELECT min(e.id) FROM "OutboxMessage" e
                                  WHERE e.platform = m.platform AND e.recipient = m.recipient AND e.status = 'pending')
                    ORDER BY m.status, m."nextAttemptAt" LIMIT max_messages FOR UPDATE SKIP LOCKED)
    RETURNING u.id::text, u.payload, u.attempts, u."createdAt", u."lockedUntil"::text;
  END
  $$;
