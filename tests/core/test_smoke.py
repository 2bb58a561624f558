def test_home_page_renders_in_english(client, demo):
    response = client.get("/en/")
    assert response.status_code == 200
    assert "Biosafety participation platform" in response.content.decode()
