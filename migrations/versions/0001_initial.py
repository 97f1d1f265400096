"""Initial schema: the whole domain, and the default categories.

Revision ID: 0001_initial
Revises: 
Create Date: 2026-11-23 13:20:46.400591
"""

from alembic import op
import sqlalchemy as sa


revision = '0001_initial'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('icon', sa.String(length=40), nullable=False),
    sa.Column('target_days', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_categories_code'))
    )
    op.create_table('communes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('province', sa.String(length=120), nullable=False),
    sa.Column('sms_number', sa.String(length=32), nullable=True),
    sa.Column('chairman_name', sa.String(length=120), nullable=True),
    sa.Column('notice_signing_authority', sa.String(length=120), nullable=False),
    sa.Column('notice_signing_title', sa.String(length=120), nullable=False),
    sa.Column('rotation_days', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_communes')),
    sa.UniqueConstraint('code', name=op.f('uq_communes_code'))
    )
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=False),
    sa.Column('opted_out', sa.Boolean(), nullable=False),
    sa.Column('opted_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts')),
    sa.UniqueConstraint('phone', name=op.f('uq_contacts_phone'))
    )
    op.create_table('hamlets',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_hamlets_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hamlets')),
    sa.UniqueConstraint('commune_id', 'name', name=op.f('uq_hamlets_commune_id'))
    )
    with op.batch_alter_table('hamlets', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hamlets_commune_id'), ['commune_id'], unique=False)

    op.create_table('kiosks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('enrollment_token_hash', sa.String(length=64), nullable=True),
    sa.Column('device_token_hash', sa.String(length=64), nullable=True),
    sa.Column('enrolled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ignored_ratings', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_kiosks_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kiosks')),
    sa.UniqueConstraint('device_token_hash', name=op.f('uq_kiosks_device_token_hash')),
    sa.UniqueConstraint('enrollment_token_hash', name=op.f('uq_kiosks_enrollment_token_hash'))
    )
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kiosks_commune_id'), ['commune_id'], unique=False)

    op.create_table('officers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=8), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('desk', sa.String(length=120), nullable=False),
    sa.Column('photo_path', sa.String(length=255), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_officers_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officers')),
    sa.UniqueConstraint('commune_id', 'code', name=op.f('uq_officers_commune_id'))
    )
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_officers_commune_id'), ['commune_id'], unique=False)

    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('full_name', sa.String(length=120), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_epoch', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_users_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=60), nullable=False),
    sa.Column('object_type', sa.String(length=40), nullable=True),
    sa.Column('object_id', sa.Integer(), nullable=True),
    sa.Column('remote_addr', sa.String(length=64), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_audit_events_commune_id_communes')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_events'))
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_at'), ['at'], unique=False)

    op.create_table('dialogues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=255), nullable=False),
    sa.Column('place', sa.String(length=255), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('chair_name', sa.String(length=120), nullable=False),
    sa.Column('chair_officer_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attendance', sa.Integer(), nullable=True),
    sa.Column('minutes', sa.Text(), nullable=True),
    sa.Column('held_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('cancelled_reason', sa.String(length=255), nullable=True),
    sa.Column('notice_number', sa.String(length=40), nullable=True),
    sa.Column('notice_published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('invitations_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminders_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['chair_officer_id'], ['officers.id'], name=op.f('fk_dialogues_chair_officer_id_officers')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_dialogues_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dialogues'))
    )
    with op.batch_alter_table('dialogues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dialogues_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dialogues_starts_at'), ['starts_at'], unique=False)

    op.create_table('supervisor_communes',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_supervisor_communes_commune_id_communes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_supervisor_communes_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'commune_id', name=op.f('pk_supervisor_communes'))
    )
    op.create_table('dialogue_hamlets',
    sa.Column('dialogue_id', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dialogue_id'], ['dialogues.id'], name=op.f('fk_dialogue_hamlets_dialogue_id_dialogues'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hamlet_id'], ['hamlets.id'], name=op.f('fk_dialogue_hamlets_hamlet_id_hamlets'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('dialogue_id', 'hamlet_id', name=op.f('pk_dialogue_hamlets'))
    )
    op.create_table('dialogue_officials',
    sa.Column('dialogue_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dialogue_id'], ['dialogues.id'], name=op.f('fk_dialogue_officials_dialogue_id_dialogues'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_dialogue_officials_officer_id_officers'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('dialogue_id', 'officer_id', name=op.f('pk_dialogue_officials'))
    )
    op.create_table('items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_code', sa.String(length=12), nullable=False),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('hamlet_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('legal_type', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('text_folded', sa.Text(), nullable=False),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('contact_name', sa.String(length=120), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('dialogue_id', sa.Integer(), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=24), nullable=True),
    sa.Column('responsible', sa.String(length=160), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('forwarded_to', sa.String(length=160), nullable=True),
    sa.Column('escalated_to', sa.String(length=160), nullable=True),
    sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('flag_reason', sa.String(length=160), nullable=True),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('client_key', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_items_category_id_categories')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_items_commune_id_communes')),
    sa.ForeignKeyConstraint(['dialogue_id'], ['dialogues.id'], name=op.f('fk_items_dialogue_id_dialogues')),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['items.id'], name=op.f('fk_items_duplicate_of_id_items')),
    sa.ForeignKeyConstraint(['hamlet_id'], ['hamlets.id'], name=op.f('fk_items_hamlet_id_hamlets')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], name=op.f('fk_items_kiosk_id_kiosks')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    sa.UniqueConstraint('client_key', name=op.f('uq_items_client_key')),
    sa.UniqueConstraint('tracking_code', name=op.f('uq_items_tracking_code'))
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_items_commune_created', ['commune_id', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_items_commune_status_created', ['commune_id', 'status', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_items_contact_phone_last_message', ['contact_phone', 'last_message_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_dialogue_id'), ['dialogue_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_hamlet_id'), ['hamlet_id'], unique=False)

    op.create_table('agenda_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dialogue_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('carried_over', sa.Boolean(), nullable=False),
    sa.Column('raised_in_room', sa.Boolean(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['dialogue_id'], ['dialogues.id'], name=op.f('fk_agenda_entries_dialogue_id_dialogues'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_agenda_entries_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_entries')),
    sa.UniqueConstraint('dialogue_id', 'item_id', name=op.f('uq_agenda_entries_dialogue_id'))
    )
    with op.batch_alter_table('agenda_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_entries_item_id'), ['item_id'], unique=False)

    op.create_table('item_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_item_events_item_id_items'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_item_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_item_events'))
    )
    with op.batch_alter_table('item_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_events_item_id'), ['item_id'], unique=False)

    op.create_table('messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('provider_id', sa.String(length=64), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=False),
    sa.Column('service_number', sa.String(length=32), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('parts', sa.Integer(), nullable=False),
    sa.Column('encoding', sa.String(length=8), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('error_code', sa.String(length=16), nullable=True),
    sa.Column('error_message', sa.Text(), nullable=True),
    sa.Column('flagged', sa.Boolean(), nullable=False),
    sa.Column('flag_reason', sa.String(length=160), nullable=True),
    sa.Column('reply_body', sa.Text(), nullable=True),
    sa.Column('commune_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_messages_commune_id_communes')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_messages_item_id_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_messages')),
    sa.UniqueConstraint('channel', 'provider_id', name=op.f('uq_messages_channel'))
    )
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_messages_item_id'), ['item_id'], unique=False)
        batch_op.create_index('ix_messages_outbox', ['direction', 'status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_messages_phone_created', ['phone', 'created_at'], unique=False)

    op.create_table('ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('kiosk_id', sa.Integer(), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('client_key', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_ratings_commune_id_communes')),
    sa.ForeignKeyConstraint(['item_id'], ['items.id'], name=op.f('fk_ratings_item_id_items')),
    sa.ForeignKeyConstraint(['kiosk_id'], ['kiosks.id'], name=op.f('fk_ratings_kiosk_id_kiosks')),
    sa.ForeignKeyConstraint(['officer_id'], ['officers.id'], name=op.f('fk_ratings_officer_id_officers')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ratings')),
    sa.UniqueConstraint('client_key', name=op.f('uq_ratings_client_key'))
    )
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.create_index('ix_ratings_commune_created', ['commune_id', 'created_at'], unique=False)
        batch_op.create_index('ix_ratings_officer_created', ['officer_id', 'created_at'], unique=False)
    _load_default_categories()


# Copied, not imported: a migration must not change when the code does.
DEFAULT_CATEGORIES = (
    ("land", "Đất đai", "Land", "land", 30),
    ("compensation", "Đền bù, giải phóng mặt bằng", "Compensation and site clearance", "bulldozer", 30),
    ("environment", "Môi trường, vệ sinh", "Environment and sanitation", "leaf", 15),
    ("roads", "Đường sá, hạ tầng", "Roads and infrastructure", "road", 30),
    ("social", "Chính sách xã hội, trợ cấp", "Social policy and benefits", "hands", 15),
    ("health", "Y tế", "Health", "health", 10),
    ("education", "Giáo dục", "Education", "school", 15),
    ("security", "An ninh, trật tự", "Security and order", "shield", 7),
    ("procedures", "Thủ tục hành chính", "Administrative procedures", "document", 10),
    ("officer_conduct", "Thái độ, tác phong cán bộ", "Officer conduct", "person", 10),
    ("other", "Khác", "Other", "dots", 15),
)


def _load_default_categories() -> None:
    categories = sa.table(
        "categories", sa.column("code", sa.String), sa.column("name", sa.String),
        sa.column("name_en", sa.String), sa.column("icon", sa.String),
        sa.column("target_days", sa.Integer), sa.column("position", sa.Integer),
    )
    op.bulk_insert(categories, [
        dict(code=c, name=n, name_en=e, icon=i, target_days=d, position=pos)
        for pos, (c, n, e, i, d) in enumerate(DEFAULT_CATEGORIES)
    ])


def downgrade() -> None:
    with op.batch_alter_table('ratings', schema=None) as batch_op:
        batch_op.drop_index('ix_ratings_officer_created')
        batch_op.drop_index('ix_ratings_commune_created')

    op.drop_table('ratings')
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_phone_created')
        batch_op.drop_index('ix_messages_outbox')
        batch_op.drop_index(batch_op.f('ix_messages_item_id'))

    op.drop_table('messages')
    with op.batch_alter_table('item_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_events_item_id'))

    op.drop_table('item_events')
    with op.batch_alter_table('agenda_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_entries_item_id'))

    op.drop_table('agenda_entries')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_hamlet_id'))
        batch_op.drop_index(batch_op.f('ix_items_duplicate_of_id'))
        batch_op.drop_index(batch_op.f('ix_items_dialogue_id'))
        batch_op.drop_index('ix_items_contact_phone_last_message')
        batch_op.drop_index('ix_items_commune_status_created')
        batch_op.drop_index('ix_items_commune_created')
        batch_op.drop_index(batch_op.f('ix_items_category_id'))

    op.drop_table('items')
    op.drop_table('dialogue_officials')
    op.drop_table('dialogue_hamlets')
    op.drop_table('supervisor_communes')
    with op.batch_alter_table('dialogues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dialogues_starts_at'))
        batch_op.drop_index(batch_op.f('ix_dialogues_commune_id'))

    op.drop_table('dialogues')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_at'))

    op.drop_table('audit_events')
    op.drop_table('users')
    with op.batch_alter_table('officers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_officers_commune_id'))

    op.drop_table('officers')
    with op.batch_alter_table('kiosks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kiosks_commune_id'))

    op.drop_table('kiosks')
    with op.batch_alter_table('hamlets', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hamlets_commune_id'))

    op.drop_table('hamlets')
    op.drop_table('contacts')
    op.drop_table('communes')
    op.drop_table('categories')
