-- Run by the postgres image once, when its data volume is first created: the database of the
-- product's own table (the sent journal shared by every worker host), beside Temporal's two.
CREATE DATABASE rect OWNER temporal;
