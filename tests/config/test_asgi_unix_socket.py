"""Behind nginx, workers listen on unix sockets; uvicorn then reports its server address as
(path, None), which Django would turn into the port "None" and Wagtail's site lookup into a
server error. config.asgi hands Django "no server address" instead (port 0)."""

from asgiref.sync import async_to_sync

from config.asgi import without_portless_server


def scope_seen_by_django(server):
    seen = {}

    async def django(scope, receive, send):
        seen.update(scope)

    async_to_sync(without_portless_server(django))({"type": "http", "server": server}, None, None)
    return seen


def test_a_unix_socket_server_address_reaches_django_as_no_address():
    assert scope_seen_by_django(("/run/biosafety/worker-1.sock", None))["server"] is None


def test_a_host_and_port_pass_unchanged():
    assert scope_seen_by_django(("127.0.0.1", 8000))["server"] == ("127.0.0.1", 8000)


def test_pages_answer_with_the_port_django_reads_for_no_address(client, site_shell):
    assert client.get("/en/", SERVER_PORT="0").status_code == 200
