CREATE TABLE registry_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE subscriptions (
    activation_code TEXT PRIMARY KEY,
    organization TEXT NOT NULL,
    ends TEXT,
    revision BIGINT NOT NULL,
    subscription_json TEXT NOT NULL
);
CREATE TABLE revisions (
    activation_code TEXT NOT NULL REFERENCES subscriptions(activation_code),
    revision BIGINT NOT NULL,
    subscription_json TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    operator TEXT NOT NULL,
    PRIMARY KEY (activation_code, revision)
);
CREATE TABLE environments (
    serial_number TEXT PRIMARY KEY,
    activation_code TEXT NOT NULL REFERENCES subscriptions(activation_code),
    name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    registered_at BIGINT NOT NULL,
    environment_json TEXT NOT NULL,
    rowid BIGINT GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX environments_by_code ON environments(activation_code);
CREATE TABLE releases (
    serial_number TEXT NOT NULL,
    activation_code TEXT NOT NULL,
    environment_json TEXT NOT NULL,
    released_at BIGINT NOT NULL,
    operator TEXT NOT NULL
);
CREATE TABLE licenses (
    license_id TEXT PRIMARY KEY,
    activation_code TEXT NOT NULL,
    serial_number TEXT NOT NULL,
    revision BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    expires_at BIGINT,
    file BYTEA NOT NULL,
    operator TEXT NOT NULL
);
CREATE INDEX licenses_by_serial ON licenses(serial_number, issued_at);
CREATE TABLE audit (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at BIGINT NOT NULL,
    operator TEXT NOT NULL,
    activation_code TEXT,
    what TEXT NOT NULL
);
