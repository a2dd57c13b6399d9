from apigw_stage.entry import main

main()
