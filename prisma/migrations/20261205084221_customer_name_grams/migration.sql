-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "nameGrams" TEXT[];

-- Every distinct two-character piece of a normalised name and of each alias: what the customer search
-- (src/domain/customers/customer.repo.ts) finds through a GIN index instead of a LIKE per piece over every row.
-- Characters as PostgreSQL counts them (code points), as the search splits its query.
CREATE FUNCTION customer_name_grams(name text, aliases text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$
    SELECT coalesce(array_agg(DISTINCT substr(s, i, 2)), '{}')
    FROM unnest(array_prepend(name, coalesce(aliases, '{}'))) AS s, generate_series(1, length(s) - 1) AS i
  $$;

-- Kept by the database on every write that can change them (any code path, an import, a restore), never by hand.
CREATE FUNCTION customer_name_grams_keep() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    NEW."nameGrams" := customer_name_grams(NEW."normalizedName", NEW.aliases);
    RETURN NEW;
  END
  $$;

CREATE TRIGGER "Customer_nameGrams_keep" BEFORE INSERT OR UPDATE OF "normalizedName", aliases, "nameGrams" ON "Customer"
  FOR EACH ROW EXECUTE FUNCTION customer_name_grams_keep();

-- The customers there already.
UPDATE "Customer" SET "nameGrams" = customer_name_grams("normalizedName", aliases);

-- CreateIndex
-- fastupdate off: with GIN's pending list, every search scanned all entries added since the last vacuum (3,000
-- new customers made each search 2.5x dearer); a name rarely changes, so inserting into the index at once is cheap.
CREATE INDEX "Customer_nameGrams_idx" ON "Customer" USING GIN ("nameGrams") WITH (fastupdate = off);
