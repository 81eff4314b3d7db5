-- Inbound EDI interchanges, by the partner, standard, sender id and control
-- number they came with: a second interchange with the same key is a
-- duplicate, reported and not imported.
CREATE TABLE edi_interchanges (
    partner     TEXT    NOT NULL,
    standard    TEXT    NOT NULL,
    sender      TEXT    NOT NULL,
    control     TEXT    NOT NULL,
    message_id  TEXT    NOT NULL,
    received_at INTEGER NOT NULL,
    PRIMARY KEY (partner, standard, sender, control)
) STRICT;

-- Outbound control numbers: one counter per partnership and level
-- ("x12:acme:isa"), and the number each delivery was given, so that a
-- retried delivery sends the same numbers again.
CREATE TABLE edi_counters (
    counter TEXT    PRIMARY KEY,
    last    INTEGER NOT NULL
) STRICT;

CREATE TABLE edi_control_numbers (
    delivery_id TEXT    NOT NULL,
    counter     TEXT    NOT NULL,
    number      INTEGER NOT NULL,
    PRIMARY KEY (delivery_id, counter)
) STRICT;
