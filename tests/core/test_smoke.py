from __future__ import annotations


async def test_home_is_arabic_by_default(client):
    response = await client.get("/")
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in response.text
