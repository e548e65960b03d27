-- What counting a store's audience reads, each in one pass over an index: a store's
-- orders by member (with what they came to), members' points, a store's bag lines by age.
CREATE INDEX orders_store_member ON orders (store_id, member_id, created_at, status, total_minor);
CREATE INDEX points_member_delta ON points_ledger (member_id, delta);
CREATE INDEX bag_lines_store_added ON bag_lines (store_id, added_at);
