from platctl.cli.app import main

main()
