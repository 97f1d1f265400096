"""`nghedan user create` and `nghedan user set-password`, as the login page sees them."""

from __future__ import annotations

from tests.admin.conftest import login


def test_created_user_logs_in_and_a_new_password_ends_their_sessions(runner, app, world):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "--username",
            "Hoa",
            "--role",
            "officer",
            "--commune",
            "tan-thanh",
            "--password-stdin",
        ],
        input="mat-khau-cua-hoa\n",
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    assert login(client, "hoa", "mat-khau-cua-hoa").status_code == 302
    assert client.get("/admin/items").status_code == 200
    result = runner.invoke(
        args=["user", "set-password", "--username", "hoa", "--password-stdin"],
        input="mat-khau-moi-cua-hoa\n",
    )
    assert result.exit_code == 0, result.output
    assert client.get("/admin/items").status_code == 302
    assert login(client, "hoa", "mat-khau-moi-cua-hoa").status_code == 302


def test_supervisor_created_for_two_communes_sees_both(runner, app, world):
    result = runner.invoke(
        args=[
            "user",
            "create",
            "--username",
            "tinh",
            "--role",
            "supervisor",
            "--supervises",
            "tan-thanh",
            "--supervises",
            "my-hoa",
            "--password-stdin",
        ],
        input="mat-khau-giam-sat\n",
    )
    assert result.exit_code == 0, result.output
    client = app.test_client()
    login(client, "tinh", "mat-khau-giam-sat")
    assert client.get(f"/admin/items/{world.item_id}").status_code == 200
    assert client.get(f"/admin/items/{world.other_item_id}").status_code == 200
    page = client.get("/admin/items").get_data(as_text=True)
    assert 'name="commune"' in page
    only_ours = client.get(f"/admin/items?commune={world.other_commune_id}").get_data(as_text=True)
    assert "Tất cả (1)" in only_ours


def test_hamlets_are_offered_once_one_commune_is_chosen(runner, app, world):
    runner.invoke(
        args=[
            "user",
            "create",
            "--username",
            "tinh",
            "--role",
            "supervisor",
            "--supervises",
            "tan-thanh",
            "--supervises",
            "my-hoa",
            "--password-stdin",
        ],
        input="mat-khau-giam-sat\n",
    )
    client = app.test_client()
    login(client, "tinh", "mat-khau-giam-sat")
    assert 'name="hamlet"' not in client.get("/admin/items").get_data(as_text=True)
    page = client.get(f"/admin/items?commune={world.other_commune_id}").get_data(as_text=True)
    assert 'name="hamlet"' in page and "Ấp Một" in page and "Ấp Tân Phú" not in page
