from worker import feed, gateway


def run():
    data = feed.fetch("partner.example.com")
    gateway.charge({"amount": len(data)})


if __name__ == "__main__":
    run()
